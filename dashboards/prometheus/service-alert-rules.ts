// Alerts that are not burn rates: the SLI going blind, and saturation that precedes an SLO breach.
// Cache hit ratio, circuit breaker and outbox lag join here once the service exports those metrics.
import type { PlatformConfig } from '../../infra/config/platform-config';
import { DB_POOL_CONNECTIONS, HTTP_REQUEST_DURATION } from '../../service/src/plugins/external/metrics';
import { API_WORKLOAD } from '../slo/api-workload';
import type { Severity } from '../slo/burn-rate-windows';
import type { Duration } from '../slo/duration';
import { selector, type Matcher } from '../slo/promql';
import { dashboardUid, RED_PANEL_IDS, SATURATION_PANEL_IDS } from '../grafana/dashboard-ids';
import { dashboardPanelUrl } from '../links';
import type { AlertingRule, RuleGroup } from './rule-group';

/** prom-client's default metric for the event loop's 99th percentile delay, in seconds. */
export const EVENT_LOOP_LAG_P99 = 'nodejs_eventloop_lag_p99_seconds';

/** A saturation alert on a gauge, as data: the promtool tests drive its series across `threshold`. */
export interface GaugeAlert {
  /** Alert name; also the runbook file name. */
  readonly alert: string;
  /** Who is told. */
  readonly severity: Severity;
  /** Gauge the alert watches. */
  readonly metric: string;
  /** Equality matchers selecting the series. */
  readonly matchers: readonly Matcher[];
  /** Labels kept on the alert, so it names the pod (and pool) in trouble. */
  readonly by: readonly string[];
  /** The alert fires while the gauge stays above this value for `for`. */
  readonly threshold: number;
  /** How long the gauge must stay above `threshold`. */
  readonly for: Duration;
  /** Annotation `summary`. */
  readonly summary: string;
  /** Annotation `description`; may use `$value` and `$labels`. */
  readonly description: string;
  /** Panel of the saturation dashboard showing the gauge. */
  readonly panelId: number;
}

/** Equality matcher on the API's namespace, shared by the service-level alerts. */
const IN_NAMESPACE: Matcher = {
  label: API_WORKLOAD.prometheusLabels.namespace,
  op: '=',
  value: API_WORKLOAD.namespace,
};

/** Returns the gauge alerts: event-loop lag and clients waiting for a database connection. */
export function gaugeAlerts(config: PlatformConfig): GaugeAlert[] {
  const { namespace, pod } = API_WORKLOAD.prometheusLabels;
  // Half the tightest latency objective: at that lag a request has already lost half its budget waiting.
  const lagThreshold = Math.min(...config.slo.latency.map((objective) => objective.thresholdMs)) / 2 / 1000;
  return [
    {
      alert: 'ApiEventLoopLagHigh',
      severity: 'ticket',
      metric: EVENT_LOOP_LAG_P99,
      matchers: [IN_NAMESPACE],
      by: [namespace, pod],
      threshold: lagThreshold,
      for: '10m',
      summary: `Pod {{ $labels.pod }} has a p99 event-loop lag over ${lagThreshold * 1000} ms.`,
      description:
        `The p99 event-loop lag of {{ $labels.pod }} is {{ $value | humanizeDuration }} (alert above ${lagThreshold * 1000} ms for 10m). ` +
        'Every request on this pod waits that long before its code runs: latency SLOs will follow.',
      panelId: SATURATION_PANEL_IDS.eventLoopLag,
    },
    {
      alert: 'ApiDbPoolClientsWaiting',
      severity: 'ticket',
      metric: DB_POOL_CONNECTIONS,
      matchers: [IN_NAMESPACE, { label: 'state', op: '=', value: 'waiting' }],
      by: [namespace, pod, 'pool'],
      threshold: 0,
      for: '5m',
      summary: 'Requests on {{ $labels.pod }} wait for a {{ $labels.pool }} database connection.',
      description:
        '{{ $value }} queries on {{ $labels.pod }} are queued for a connection of the {{ $labels.pool }} pool, ' +
        'and have been at every evaluation for 5m: the pool is exhausted or the database is slow.',
      panelId: SATURATION_PANEL_IDS.poolWaiting,
    },
  ];
}

/** Returns the PromQL of a gauge alert: the worst series per `by` labels, above the threshold. */
export function gaugeAlertExpr(alert: GaugeAlert): string {
  return `max by (${alert.by.join(', ')}) (${selector(alert.metric, alert.matchers)}) > ${alert.threshold}`;
}

/** The selector whose absence blinds every SLI. */
export function sliPresenceSelector(): string {
  return selector(`${HTTP_REQUEST_DURATION}_count`, [IN_NAMESPACE]);
}

/** Name of the alert raised when the SLI metrics are missing. */
export const SLI_METRICS_ABSENT_ALERT = 'ApiSliMetricsAbsent';

/** How long the SLI metrics may be missing before the absent alert fires. */
export const SLI_METRICS_ABSENT_FOR: Duration = '10m';

/** Returns the group of service alerts: SLI metrics absent, then the gauge alerts. */
export function serviceAlertGroup(config: PlatformConfig): RuleGroup {
  const saturation = dashboardUid(config, 'saturation');
  const absent: AlertingRule = {
    alert: SLI_METRICS_ABSENT_ALERT,
    // Without these series every burn-rate alert is silent, whatever the users see: this one must page.
    expr: `absent(${sliPresenceSelector()})`,
    for: SLI_METRICS_ABSENT_FOR,
    labels: { severity: 'page' },
    annotations: {
      summary: `Prometheus has no ${HTTP_REQUEST_DURATION} series from namespace ${API_WORKLOAD.namespace}: the SLO alerts are blind.`,
      description:
        `No API pod has been scraped successfully for ${SLI_METRICS_ABSENT_FOR}, so availability and latency cannot be measured ` +
        'and no burn-rate alert can fire. Either every pod is down or Prometheus cannot reach them.',
      dashboard_url: dashboardPanelUrl(dashboardUid(config, 'red'), RED_PANEL_IDS.requestRate),
    },
  };
  const gauges = gaugeAlerts(config).map((alert): AlertingRule => ({
    alert: alert.alert,
    expr: gaugeAlertExpr(alert),
    for: alert.for,
    labels: { severity: alert.severity },
    annotations: {
      summary: alert.summary,
      description: alert.description,
      dashboard_url: dashboardPanelUrl(saturation, alert.panelId),
    },
  }));
  return { name: 'api-service-alerts', rules: [absent, ...gauges] };
}
