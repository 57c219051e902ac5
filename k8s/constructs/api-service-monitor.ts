import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Construct } from 'constructs';
import { API_WORKLOAD } from '../../dashboards/slo/api-workload';
import { METRICS_PATH } from '../../service/src/probe-paths';
import { API_POD_LABELS, HTTP_PORT_NAME } from '../lib/api-labels';
import { ModelObject } from '../lib/model-object';

/** Properties of an ApiServiceMonitor. */
export interface ApiServiceMonitorProps {
  /** Namespace of the API Service. */
  readonly namespace: string;
  /** Labels the Prometheus instance selects ServiceMonitors by. */
  readonly prometheusSelectorLabels: Readonly<Record<string, string>>;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: string;
}

/**
 * A ServiceMonitor scraping every API pod, copying the Rollouts pod-template-hash label onto the series so
 * the canary analysis can tell one revision's requests from the other's.
 */
export class ApiServiceMonitor extends Construct {
  constructor(scope: Construct, id: string, props: ApiServiceMonitorProps) {
    super(scope, id);
    new ModelObject(this, 'Resource', {
      model: new ServiceMonitor({
        metadata: {
          name: API_WORKLOAD.name,
          namespace: props.namespace,
          labels: { ...props.prometheusSelectorLabels },
        },
        spec: {
          selector: { matchLabels: { ...API_POD_LABELS } },
          namespaceSelector: { matchNames: [props.namespace] },
          podTargetLabels: [API_WORKLOAD.podTemplateHashLabelKey, API_WORKLOAD.appLabelKey],
          endpoints: [{ port: HTTP_PORT_NAME, path: METRICS_PATH, interval: props.interval ?? '30s' }],
        },
      }),
    });
  }
}
