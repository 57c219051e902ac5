// Small panel factories shared by the generated dashboards, so every panel gets the same datasource,
// a description and, where an alert covers it, a link to the alert's runbook.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { runbookUrl } from '../links';
import { API_WORKLOAD } from '../slo/api-workload';
import type { Matcher } from '../slo/promql';

/** The Prometheus datasource, chosen with the `datasource` variable so one JSON works in every Grafana. */
export const PROMETHEUS_DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** One PromQL query of a panel. */
export interface PanelQuery {
  /** PromQL expression. */
  readonly expr: string;
  /** Legend, for example `{{route}}`. */
  readonly legend: string;
}

/** What every panel factory needs. */
export interface PanelProps {
  /** Stable panel id; alerts link to it with `viewPanel`. */
  readonly id: number;
  /** Title. */
  readonly title: string;
  /** What the panel shows and how to read it, in one or two sentences. */
  readonly description: string;
  /** Grafana unit, for example `percentunit`, `s`, `bytes`, `reqps`. */
  readonly unit: string;
  /** Queries, one series set each. */
  readonly queries: readonly PanelQuery[];
  /**
   * Alerts watching what this panel shows; their runbooks are linked from the panel.
   * @default - no runbook link
   */
  readonly runbooks?: readonly string[];
  /**
   * Threshold steps, lowest first; the first must have value null (the base colour).
   * @default - no thresholds
   */
  readonly thresholds?: readonly dashboard.Threshold[];
  /**
   * Width in grid columns (24 is the full width).
   * @default 12
   */
  readonly width?: number;
}

/** Returns the `datasource` variable every generated dashboard declares. */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus');
}

/** Name of the region variable: `$region` in queries. */
export const REGION_VARIABLE = 'region';

/** Value the region variable takes for All: matches every region, and series without the label (one Prometheus). */
export const ALL_REGIONS = '.*';

/** The matcher narrowing a query to the selected region. */
export const IN_SELECTED_REGION: Matcher = {
  label: API_WORKLOAD.prometheusLabels.region,
  op: '=~',
  value: `$${REGION_VARIABLE}`,
};

/**
 * Returns the region variable, listing the `region` values of `series`. One Prometheus has none (it adds the
 * label only to what leaves it), so there it stays on All; a global view lists every region.
 */
export function regionVariable(series: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(REGION_VARIABLE)
    .label('Region')
    .description(
      'AWS region of the series, from the external label each Prometheus adds; All inside one region.',
    )
    .datasource(PROMETHEUS_DATASOURCE)
    .query(`label_values(${series}, ${API_WORKLOAD.prometheusLabels.region})`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .includeAll(true)
    .allValue(ALL_REGIONS)
    .current({ text: 'All', value: '$__all' });
}

/** Returns a time series panel over the given queries. */
export function timeseriesPanel(props: PanelProps): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .id(props.id)
    .title(props.title)
    .description(props.description)
    .datasource(PROMETHEUS_DATASOURCE)
    .unit(props.unit)
    .span(props.width ?? 12)
    .height(8)
    .fillOpacity(10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true),
    )
    .targets(targets(props.queries))
    .links(runbookLinks(props.runbooks));
  if (props.thresholds) {
    panel
      .thresholds(thresholds(props.thresholds))
      .thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
      );
  }
  return panel;
}

/** Returns a single-value panel showing the last value of its queries. */
export function statPanel(props: PanelProps): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .id(props.id)
    .title(props.title)
    .description(props.description)
    .datasource(PROMETHEUS_DATASOURCE)
    .unit(props.unit)
    .span(props.width ?? 6)
    .height(8)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .targets(targets(props.queries))
    .links(runbookLinks(props.runbooks));
  if (props.thresholds) panel.thresholds(thresholds(props.thresholds));
  return panel;
}

function targets(queries: readonly PanelQuery[]): prometheus.DataqueryBuilder[] {
  return queries.map((query, index) =>
    new prometheus.DataqueryBuilder()
      .datasource(PROMETHEUS_DATASOURCE)
      .expr(query.expr)
      .legendFormat(query.legend)
      .refId(String.fromCharCode(65 + index)),
  );
}

function thresholds(steps: readonly dashboard.Threshold[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([...steps]);
}

/** Returns one link per alert to the alert's runbook, opening in a new tab. */
export function runbookLinks(alerts: readonly string[] = []): dashboard.DashboardLinkBuilder[] {
  return alerts.map((alert) =>
    new dashboard.DashboardLinkBuilder(`Runbook: ${alert}`)
      .type(dashboard.DashboardLinkType.Link)
      .url(runbookUrl(alert))
      .targetBlank(true),
  );
}
