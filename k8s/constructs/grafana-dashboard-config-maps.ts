import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Construct } from 'constructs';
import { ModelObject } from '../lib/model-object';

/** A built Grafana dashboard: the parts this construct reads. */
export interface BuiltDashboard {
  /** Stable dashboard uid; names the ConfigMap and its file. */
  readonly uid?: string;
}

/** Properties of GrafanaDashboardConfigMaps. */
export interface GrafanaDashboardConfigMapsProps {
  /** Namespace the Grafana sidecar watches. */
  readonly namespace: string;
  /** Dashboards, built. */
  readonly dashboards: readonly BuiltDashboard[];
  /** Label the sidecar loads ConfigMaps by. */
  readonly sidecarLabels: Readonly<Record<string, string>>;
}

/** One ConfigMap per dashboard, labelled for the Grafana sidecar, holding the same JSON `npm run synth` writes. */
export class GrafanaDashboardConfigMaps extends Construct {
  constructor(scope: Construct, id: string, props: GrafanaDashboardConfigMapsProps) {
    super(scope, id);
    props.dashboards.forEach((dashboard) => {
      if (!dashboard.uid) throw new Error('GrafanaDashboardConfigMaps: every dashboard needs a uid');
      new ModelObject(this, dashboard.uid, {
        model: new ConfigMap({
          metadata: {
            name: `grafana-dashboard-${dashboard.uid}`,
            namespace: props.namespace,
            labels: { ...props.sidecarLabels },
          },
          data: { [`${dashboard.uid}.json`]: `${JSON.stringify(dashboard, null, 2)}\n` },
        }),
      });
    });
  }
}
