// Panel factories for CloudWatch metrics (Aurora, ElastiCache): the same shape as the Prometheus panels,
// queried through a `cloudwatch` datasource variable so one JSON works in every Grafana.
import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { runbookLinks } from './panel-factories';

/** The CloudWatch datasource, chosen with the `cloudwatch` variable. */
export const CLOUDWATCH_DATASOURCE: common.DataSourceRef = { type: 'cloudwatch', uid: '${cloudwatch}' };

/** One CloudWatch metric query. */
export interface CloudWatchQuery {
  /** CloudWatch namespace, for example `AWS/RDS`. */
  readonly namespace: string;
  /** Metric name, for example `CPUUtilization`. */
  readonly metricName: string;
  /** Dimensions; a list of values draws one line per value. */
  readonly dimensions: cloudwatch.Dimensions;
  /** Statistic, for example `Average`, `Maximum`, `Sum`. */
  readonly statistic: string;
  /** Legend label; may use `${PROP('Dim.CacheClusterId')}`. */
  readonly label: string;
}

/** What a CloudWatch panel needs. */
export interface CloudWatchPanelProps {
  /** Stable panel id. */
  readonly id: number;
  /** Title. */
  readonly title: string;
  /** What the panel shows and how to read it, in one or two sentences. */
  readonly description: string;
  /** Grafana unit, for example `percent`, `ms`, `bytes`. */
  readonly unit: string;
  /** AWS region the metrics are read from. */
  readonly region: string;
  /** Queries. */
  readonly queries: readonly CloudWatchQuery[];
  /**
   * Alerts watching what this panel shows; their runbooks are linked from the panel.
   * @default - no runbook link
   */
  readonly runbooks?: readonly string[];
  /**
   * Width in grid columns (24 is the full width).
   * @default 8
   */
  readonly width?: number;
}

/** Returns the `cloudwatch` datasource variable of a dashboard of CloudWatch panels. */
export function cloudwatchVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('cloudwatch').label('CloudWatch').type('cloudwatch');
}

/** Returns a time series panel of CloudWatch metrics in one region. */
export function cloudwatchPanel(props: CloudWatchPanelProps): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .id(props.id)
    .title(props.title)
    .description(props.description)
    .datasource(CLOUDWATCH_DATASOURCE)
    .unit(props.unit)
    .span(props.width ?? 8)
    .height(8)
    .fillOpacity(10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true),
    )
    .targets(
      props.queries.map((query, index) => {
        const refId = String.fromCharCode(65 + index);
        return new cloudwatch.MetricsQueryBuilder()
          .datasource(CLOUDWATCH_DATASOURCE)
          .refId(refId)
          .id(refId.toLowerCase())
          .queryMode(cloudwatch.QueryMode.Metrics)
          .metricQueryType(cloudwatch.MetricQueryType.Search)
          .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
          .region(props.region)
          .namespace(query.namespace)
          .metricName(query.metricName)
          .dimensions(query.dimensions)
          .matchExact(true)
          .statistic(query.statistic)
          .label(query.label);
      }),
    )
    .links(runbookLinks(props.runbooks));
}
