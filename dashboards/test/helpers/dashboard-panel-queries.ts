// Walks generated dashboard JSON (as written to dist/grafana) and lists every panel query, so the
// end-to-end check can run each one against a real Prometheus.
import { ALL_REGIONS, REGION_VARIABLE } from '../../grafana/panel-factories';

/** The parts of a dashboard's JSON this walk reads. */
interface DashboardJson {
  readonly uid: string;
  readonly panels?: readonly PanelJson[];
}

interface PanelJson {
  readonly id?: number;
  readonly type?: string;
  readonly title?: string;
  readonly datasource?: { readonly type?: string };
  readonly targets?: readonly { readonly refId?: string; readonly expr?: string }[];
  /** A collapsed row holds its panels. */
  readonly panels?: readonly PanelJson[];
}

/** One query of one panel. */
export interface PanelQuery {
  /** Dashboard uid. */
  readonly uid: string;
  /** Panel id, the `viewPanel` of a dashboard_url. */
  readonly panelId: number;
  /** Panel title, for messages. */
  readonly title: string;
  /** Datasource type of the panel, for example `prometheus` or `cloudwatch`. */
  readonly datasource: string;
  /** Query ref id (`A`, `B`, ...). */
  readonly refId: string;
  /** PromQL, for Prometheus panels. */
  readonly expr?: string;
}

/** Returns every query of every panel of the dashboards, rows opened, in dashboard and panel order. */
export function panelQueries(dashboards: readonly unknown[]): PanelQuery[] {
  return (dashboards as DashboardJson[]).flatMap((dashboard) =>
    flatten(dashboard.panels ?? []).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        uid: dashboard.uid,
        panelId: panel.id ?? -1,
        title: panel.title ?? '',
        datasource: panel.datasource?.type ?? 'unknown',
        refId: target.refId ?? '',
        expr: target.expr,
      })),
    ),
  );
}

function flatten(panels: readonly PanelJson[]): PanelJson[] {
  return panels.flatMap((panel) => (panel.type === 'row' ? flatten(panel.panels ?? []) : [panel]));
}

/** Replaces Grafana's query variables with what Grafana would send for a short, finely scraped range. */
export function withGrafanaVariables(expr: string, rateInterval: string): string {
  // The region variable on All, its only value inside one Prometheus.
  return expr.replaceAll('$__rate_interval', rateInterval).replaceAll(`$${REGION_VARIABLE}`, ALL_REGIONS);
}
