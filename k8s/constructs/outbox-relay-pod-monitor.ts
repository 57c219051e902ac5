import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { Construct } from 'constructs';
import { API_WORKLOAD } from '../../dashboards/slo/api-workload';
import { METRICS_PATH } from '../../service/src/probe-paths';
import { RELAY_POD_LABELS, RELAY_PORT_NAME } from '../lib/api-labels';
import { ModelObject } from '../lib/model-object';

/** Properties of an OutboxRelayPodMonitor. */
export interface OutboxRelayPodMonitorProps {
  /** Name of the PodMonitor. */
  readonly name: string;
  /** Namespace of the relay pods. */
  readonly namespace: string;
  /** Labels the Prometheus instance selects PodMonitors by. */
  readonly prometheusSelectorLabels: Readonly<Record<string, string>>;
  /**
   * Scrape interval.
   * @default '30s'
   */
  readonly interval?: string;
}

/** A PodMonitor scraping each relay pod's `/metrics` directly: the relay has no clients, so it needs no Service. */
export class OutboxRelayPodMonitor extends Construct {
  constructor(scope: Construct, id: string, props: OutboxRelayPodMonitorProps) {
    super(scope, id);
    new ModelObject(this, 'Resource', {
      model: new PodMonitor({
        metadata: {
          name: props.name,
          namespace: props.namespace,
          labels: { ...props.prometheusSelectorLabels },
        },
        spec: {
          selector: { matchLabels: { ...RELAY_POD_LABELS } },
          namespaceSelector: { matchNames: [props.namespace] },
          podTargetLabels: [API_WORKLOAD.appLabelKey],
          podMetricsEndpoints: [
            { port: RELAY_PORT_NAME, path: METRICS_PATH, interval: props.interval ?? '30s' },
          ],
        },
      }),
    });
  }
}
