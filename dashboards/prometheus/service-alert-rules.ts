// Alerts that are not burn rates: the SLI going blind, and saturation that precedes an SLO breach.
import type { PlatformConfig } from '../../infra/config/platform-config';
import { CACHE_LOOKUPS } from '../../service/src/cache/cache-metrics';
import { OUTBOX_LAG } from '../../service/src/outbox/outbox-lag';
import type { VerificationOutcome } from '../../service/src/plugins/external/auth';
import { SHED_REQUESTS } from '../../service/src/plugins/external/load-shedding';
import {
  AUTH_TOKEN_VERIFICATIONS,
  CIRCUIT_BREAKER_STATE,
  DB_POOL_CONNECTIONS,
  HTTP_REQUEST_DURATION,
} from '../../service/src/plugins/external/metrics';
import { RATE_LIMIT_REQUESTS } from '../../service/src/plugins/external/rate-limit';
import { REDIS_BREAKER_DEPENDENCY } from '../../service/src/redis/redis-breaker';
import { API_WORKLOAD } from '../slo/api-workload';
import type { Severity } from '../slo/burn-rate-windows';
import { durationSeconds, formatDuration, type Duration } from '../slo/duration';
import { DEFAULT_CANARY_STEPS } from '../../k8s/constructs/api-rollout';
import { anyOf, selector, type Matcher } from '../slo/promql';
import { API_REQUEST_MATCHERS } from '../slo/slo-definition';
import { dashboardUid, RED_PANEL_IDS, SATURATION_PANEL_IDS } from '../grafana/dashboard-ids';
import { dashboardPanelUrl } from '../links';
import type { AlertingRule, RuleGroup } from './rule-group';
import {
  ABORTED_ROLLOUT_PHASE,
  ANALYSIS_PHASES,
  ANALYSIS_RUN_INFO,
  ARGO_OBJECT_NAMESPACE_LABEL,
  FAILED_ANALYSIS_PHASES,
  ROLLOUT_INFO,
  ROLLOUT_PHASES,
} from './argo-rollouts-metrics';

/** prom-client's default metric for the event loop's 99th percentile delay, in seconds. */
export const EVENT_LOOP_LAG_P99 = 'nodejs_eventloop_lag_p99_seconds';

/** Thresholds of the service alerts that are not derived from the SLOs, in one place. */
export const SERVICE_ALERT_THRESHOLDS = {
  /** A cache serving less than this share of lookups (memory and Redis hits together) is not doing its job. */
  cacheHitRatioMin: 0.8,
  /** Below this many lookups per second a cache's hit ratio is noise: a handful of cold keys. */
  cacheMinLookupsPerSecond: 1,
  /** `circuit_breaker_state` above this (1, half-open) means open (2): calls fail fast. */
  breakerHalfOpen: 1,
  /** Any share of requests counted by the per-replica fallback store means the limiter cannot reach Redis. */
  rateLimiterLocalShareMax: 0,
  /** Any request shed for overload, sustained, is worth a look. */
  shedPerSecondMax: 0,
  /** Seconds the oldest unpublished outbox event may wait before consumers are too far behind. */
  outboxLagSecondsMax: 300,
  /**
   * Share of user requests refused with 401 for a token they presented. Expired tokens and stray clients keep it
   * at a few percent; an identity-provider outage or a wrong issuer or audience refuses most of them.
   */
  unauthorizedShareMax: 0.2,
  /** Below this many user requests per second the 401 share is a handful of clients, not the users. */
  unauthorizedMinRequestsPerSecond: 1,
} as const;

/**
 * Outcomes of `auth_token_verifications_total` that are not a presented token refused with 401: accepted, no
 * token at all (scanners, not users), the identity provider unreachable (a 503, which the SLI counts). Typed by
 * the service's own outcome type, so a renamed outcome fails to compile here.
 */
export const NOT_REFUSED_TOKEN_OUTCOMES: readonly VerificationOutcome[] = [
  'accepted',
  'missing',
  'identity_provider_unavailable',
];

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

/** Returns the gauge alerts: event-loop lag, clients waiting for a connection, breakers open, outbox lag. */
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
    {
      // A cause, so a ticket: users feel an open breaker as 5xx, which the availability burn rate pages on.
      // One alert for the namespace, after longer than a routine writer failover keeps a breaker open.
      alert: 'ApiDatabaseCircuitOpen',
      severity: 'ticket',
      metric: CIRCUIT_BREAKER_STATE,
      matchers: [IN_NAMESPACE, { label: 'dependency', op: '=', value: 'postgres' }],
      by: [namespace, 'dependency'],
      threshold: SERVICE_ALERT_THRESHOLDS.breakerHalfOpen,
      for: '5m',
      summary:
        'The {{ $labels.dependency }} circuit breaker of API pods in {{ $labels.namespace }} stays open.',
      description:
        'The {{ $labels.dependency }} breaker of at least one API pod has been open (state 2) at every evaluation for 5m: ' +
        'those pods refuse database calls at once because recent ones failed, and requests that need the database fail with 503 there. ' +
        'If users feel it, the availability burn-rate alert pages; this ticket is for the cause.',
      panelId: SATURATION_PANEL_IDS.breakerState,
    },
    {
      // A ticket, not a page: while it is open the service degrades as designed (reads from the database,
      // the rate limiter counts per pod); what is at risk is the database's load and the limit's precision.
      alert: 'ApiRedisCircuitOpen',
      severity: 'ticket',
      metric: CIRCUIT_BREAKER_STATE,
      matchers: [IN_NAMESPACE, { label: 'dependency', op: '=', value: REDIS_BREAKER_DEPENDENCY }],
      by: [namespace, pod, 'dependency'],
      threshold: SERVICE_ALERT_THRESHOLDS.breakerHalfOpen,
      for: '5m',
      summary: 'The {{ $labels.dependency }} circuit breaker of {{ $labels.pod }} is open.',
      description:
        'The {{ $labels.dependency }} breaker of {{ $labels.pod }} is in state {{ $value }} (2 is open) for 5m: ' +
        'the pod skips Redis because recent calls failed. Cached reads go to the database, and the rate limiter counts on this pod alone.',
      panelId: SATURATION_PANEL_IDS.breakerState,
    },
    {
      alert: 'ApiOutboxLagHigh',
      severity: 'ticket',
      metric: OUTBOX_LAG,
      matchers: [IN_NAMESPACE],
      // Every pod reads the same outbox table: one alert for the namespace, not one per pod.
      by: [namespace],
      threshold: SERVICE_ALERT_THRESHOLDS.outboxLagSecondsMax,
      for: '10m',
      summary: `The oldest unpublished outbox event is older than ${SERVICE_ALERT_THRESHOLDS.outboxLagSecondsMax / 60} minutes.`,
      description:
        'The oldest event the relay has not published was written {{ $value | humanizeDuration }} ago ' +
        `(alert above ${SERVICE_ALERT_THRESHOLDS.outboxLagSecondsMax / 60}m for 10m): consumers of the event stream are that far behind.`,
      panelId: SATURATION_PANEL_IDS.outboxLag,
    },
  ];
}

/** A series set an alert takes the per-second rate of: a counter and its matchers. */
export interface CounterSelection {
  /** Counter name. */
  readonly metric: string;
  /** Equality matchers selecting the series. */
  readonly matchers: readonly Matcher[];
}

/**
 * An alert on counters, as data: the rate of `part`, divided by the rate of `whole` when given, compared with
 * `threshold`. The promtool tests drive synthetic counters across it.
 */
export interface RateAlert {
  /** Alert name; also the runbook file name. */
  readonly alert: string;
  /** Who is told. */
  readonly severity: Severity;
  /** Counter whose rate is the value, or the numerator of the ratio. */
  readonly part: CounterSelection;
  /**
   * Denominator of the ratio.
   * @default - the value is the rate of `part`, per second
   */
  readonly whole?: CounterSelection;
  /** Labels kept on the alert. */
  readonly by: readonly string[];
  /** Whether the alert fires below or above `threshold`. */
  readonly op: '<' | '>';
  /** The value compared with. */
  readonly threshold: number;
  /**
   * The alert stays silent while `whole` has fewer events per second than this: a ratio of few events is noise.
   * @default - no guard
   */
  readonly minWholePerSecond?: number;
  /** Range of the rates. */
  readonly window: Duration;
  /** How long the condition must hold. */
  readonly for: Duration;
  /** Annotation `summary`. */
  readonly summary: string;
  /** Annotation `description`; may use `$value` and `$labels`. */
  readonly description: string;
  /** Panel of the saturation dashboard showing the value. */
  readonly panelId: number;
}

/** Returns the counter alerts: cache hit ratio, rate limiter without Redis, requests shed. */
export function rateAlerts(): RateAlert[] {
  const t = SERVICE_ALERT_THRESHOLDS;
  const { namespace } = API_WORKLOAD.prometheusLabels;
  const hitPercent = t.cacheHitRatioMin * 100;
  return [
    {
      alert: 'ApiCacheHitRatioLow',
      severity: 'ticket',
      // Every lookup starts in memory, so memory lookups count requests; hits of either level served them.
      part: { metric: CACHE_LOOKUPS, matchers: [IN_NAMESPACE, { label: 'result', op: '=', value: 'hit' }] },
      whole: {
        metric: CACHE_LOOKUPS,
        matchers: [IN_NAMESPACE, { label: 'level', op: '=', value: 'memory' }],
      },
      by: [namespace, 'cache'],
      op: '<',
      threshold: t.cacheHitRatioMin,
      minWholePerSecond: t.cacheMinLookupsPerSecond,
      window: '5m',
      for: '15m',
      summary: `The {{ $labels.cache }} cache serves less than ${hitPercent}% of lookups.`,
      description:
        `Memory and Redis together answer {{ $value | humanizePercentage }} of {{ $labels.cache }} lookups (alert below ${hitPercent}% for 15m, ` +
        `with at least ${t.cacheMinLookupsPerSecond} lookup/s): the rest go to the database.`,
      panelId: SATURATION_PANEL_IDS.cacheHitRatio,
    },
    {
      alert: 'ApiRateLimiterDegraded',
      severity: 'ticket',
      part: {
        metric: RATE_LIMIT_REQUESTS,
        matchers: [IN_NAMESPACE, { label: 'store', op: '=', value: 'local' }],
      },
      whole: { metric: RATE_LIMIT_REQUESTS, matchers: [IN_NAMESPACE] },
      by: [namespace],
      op: '>',
      threshold: t.rateLimiterLocalShareMax,
      window: '5m',
      for: '5m',
      summary: 'The rate limiter cannot reach Redis and counts per pod.',
      description:
        '{{ $value | humanizePercentage }} of requests were counted by the per-pod fallback store for 5m: Redis is unreachable ' +
        'for the limiter, so each pod enforces its own limit and a client may get up to one limit per pod.',
      panelId: SATURATION_PANEL_IDS.rateLimit,
    },
    {
      alert: 'ApiRequestsShed',
      severity: 'ticket',
      part: { metric: SHED_REQUESTS, matchers: [IN_NAMESPACE] },
      by: [namespace],
      op: '>',
      threshold: t.shedPerSecondMax,
      window: '5m',
      for: '5m',
      summary: 'API pods refuse requests because they are overloaded.',
      description:
        'The pods shed {{ $value | humanize }} requests/s with a 503 for 5m: their event loop lags past the shedding limit.',
      panelId: SATURATION_PANEL_IDS.shed,
    },
  ];
}

/** Name of the alert raised when a large share of user requests is refused with 401. */
export const UNAUTHORIZED_SHARE_ALERT = 'ApiUnauthorizedShareHigh';

/**
 * Returns the 401 alert: refused tokens over user requests. A page: the availability SLI counts a 401 as good,
 * so an identity-provider outage or a wrong issuer or audience after a deploy locks every user out unseen.
 */
export function unauthorizedShareAlert(): RateAlert {
  const t = SERVICE_ALERT_THRESHOLDS;
  const percent = t.unauthorizedShareMax * 100;
  return {
    alert: UNAUTHORIZED_SHARE_ALERT,
    severity: 'page',
    part: {
      metric: AUTH_TOKEN_VERIFICATIONS,
      matchers: [IN_NAMESPACE, { label: 'outcome', op: '!~', value: anyOf(NOT_REFUSED_TOKEN_OUTCOMES) }],
    },
    whole: { metric: `${HTTP_REQUEST_DURATION}_count`, matchers: API_REQUEST_MATCHERS },
    by: [API_WORKLOAD.prometheusLabels.namespace],
    op: '>',
    threshold: t.unauthorizedShareMax,
    minWholePerSecond: t.unauthorizedMinRequestsPerSecond,
    window: '5m',
    for: '5m',
    summary: `More than ${percent}% of API requests are refused with 401: tokens that worked are no longer accepted.`,
    description:
      `{{ $value | humanizePercentage }} of user requests were refused with 401 for the token they sent, for 5m (alert above ${percent}%, ` +
      `with at least ${t.unauthorizedMinRequestsPerSecond} request/s). The availability SLO counts these as good: users are locked out ` +
      'while it stays green. Usual causes: the identity provider is down, or a deploy changed the expected issuer or audience.',
    panelId: RED_PANEL_IDS.requestRate,
  };
}

/** Returns the PromQL of a counter alert: the rate (or ratio of rates) per `by` labels, past the threshold. */
export function rateAlertExpr(alert: RateAlert): string {
  const rate = (s: CounterSelection) =>
    `sum by (${alert.by.join(', ')}) (rate(${selector(s.metric, s.matchers)}[${alert.window}]))`;
  const value = alert.whole ? `${rate(alert.part)}\n/\n${rate(alert.whole)}` : rate(alert.part);
  const condition = `(${value}) ${alert.op} ${alert.threshold}`;
  if (alert.whole === undefined || alert.minWholePerSecond === undefined) return condition;
  return `${condition}\nand\n${rate(alert.whole)} >= ${alert.minWholePerSecond}`;
}

/** Returns the PromQL of a gauge alert: the worst series per `by` labels, above the threshold. */
export function gaugeAlertExpr(alert: GaugeAlert): string {
  return `max by (${alert.by.join(', ')}) (${selector(alert.metric, alert.matchers)}) > ${alert.threshold}`;
}

/**
 * The selector whose absence blinds every SLI: the SLI's own series, probes and scrapes left out, since the
 * kubelet's probes alone would keep a pod that no user reaches looking measured.
 */
export function sliPresenceSelector(): string {
  return selector(`${HTTP_REQUEST_DURATION}_count`, API_REQUEST_MATCHERS);
}

/** Name of the alert raised when the SLI metrics are missing. */
export const SLI_METRICS_ABSENT_ALERT = 'ApiSliMetricsAbsent';

/** How long the SLI metrics may be missing before the absent alert fires. */
export const SLI_METRICS_ABSENT_FOR: Duration = '10m';

/** Name of the alert raised when a canary's analysis fails and Argo Rollouts aborts the rollout. */
export const CANARY_ANALYSIS_FAILED_ALERT = 'ApiCanaryAnalysisFailed';

/** How long the aborted state must hold: one controller scrape or two, so a phase flip does not notify. */
export const CANARY_ANALYSIS_FAILED_FOR: Duration = '1m';

/** The object's namespace on the Argo Rollouts series: the API's. */
const ARGO_IN_NAMESPACE: Matcher = {
  label: ARGO_OBJECT_NAMESPACE_LABEL,
  op: '=',
  value: API_WORKLOAD.namespace,
};

/** The API's AnalysisRuns in one of `phases`, one series per run and phase. */
function apiAnalysisRunsIn(phases: readonly string[]): string {
  const runs = selector(ANALYSIS_RUN_INFO, [
    ARGO_IN_NAMESPACE,
    { label: 'phase', op: '=~', value: anyOf(phases) },
  ]);
  return `max by (${ARGO_OBJECT_NAMESPACE_LABEL}, name, phase) (${runs})`;
}

/** The API Rollout while its phase is one of `phases`, keeping `by` labels. */
function apiRolloutIn(phases: readonly string[], by: readonly string[]): string {
  const rollout = selector(ROLLOUT_INFO, [
    ARGO_IN_NAMESPACE,
    { label: 'name', op: '=', value: API_WORKLOAD.name },
    { label: 'phase', op: '=~', value: anyOf(phases) },
  ]);
  return `max by (${by.join(', ')}) (${rollout})`;
}

/**
 * Returns the PromQL of the canary alert: an AnalysisRun of the API failed or errored while the API Rollout
 * is aborted. Old failed runs of a rollout that has since been fixed stay listed by Argo until
 * garbage-collected; requiring the aborted rollout keeps them quiet.
 */
export function canaryAnalysisFailedExpr(): string {
  return (
    `${apiAnalysisRunsIn(FAILED_ANALYSIS_PHASES)}\n` +
    `and on(${ARGO_OBJECT_NAMESPACE_LABEL})\n` +
    apiRolloutIn([ABORTED_ROLLOUT_PHASE], [ARGO_OBJECT_NAMESPACE_LABEL])
  );
}

/** Name of the alert raised when the API rollout is aborted or timed out with no failed analysis to say why. */
export const ROLLOUT_ABORTED_ALERT = 'ApiRolloutAborted';

/** Rollout phases of a canary that stopped: aborted, or past its progress deadline. */
export const STOPPED_ROLLOUT_PHASES: readonly string[] = [ROLLOUT_PHASES.aborted, ROLLOUT_PHASES.timedOut];

/**
 * Returns the PromQL of the aborted-rollout alert: the API Rollout aborted or past its progress deadline (new pods
 * crash-looping or never ready, `progressDeadlineAbort`; or a person aborted it), unless a failed AnalysisRun
 * explains it, which `ApiCanaryAnalysisFailed` reports. Every stopped rollout raises exactly one of the two.
 */
export function rolloutAbortedExpr(): string {
  return (
    `${apiRolloutIn(STOPPED_ROLLOUT_PHASES, [ARGO_OBJECT_NAMESPACE_LABEL, 'name', 'phase'])}\n` +
    `unless on(${ARGO_OBJECT_NAMESPACE_LABEL})\n` +
    apiAnalysisRunsIn(FAILED_ANALYSIS_PHASES)
  );
}

/** Name of the alert raised when an inconclusive analysis holds the API rollout paused. */
export const CANARY_ANALYSIS_INCONCLUSIVE_ALERT = 'ApiCanaryAnalysisInconclusive';

/**
 * How long the rollout must stay paused beside an inconclusive run: longer than the longest pause step, so that
 * an old inconclusive run still listed does not turn a planned pause into a ticket.
 */
export const CANARY_ANALYSIS_INCONCLUSIVE_FOR: Duration = formatDuration(
  Math.max(...DEFAULT_CANARY_STEPS.map((step) => durationSeconds(step.pause))) + 5 * 60,
);

/** Returns the PromQL of the inconclusive alert: an inconclusive AnalysisRun of the API while the Rollout is paused. */
export function canaryAnalysisInconclusiveExpr(): string {
  return (
    `${apiAnalysisRunsIn([ANALYSIS_PHASES.inconclusive])}\n` +
    `and on(${ARGO_OBJECT_NAMESPACE_LABEL})\n` +
    apiRolloutIn([ROLLOUT_PHASES.paused], [ARGO_OBJECT_NAMESPACE_LABEL])
  );
}

/** Returns the canary alert: a ticket, since the abort already put all traffic back on the stable revision. */
export function canaryAnalysisFailedRule(config: PlatformConfig): AlertingRule {
  return {
    alert: CANARY_ANALYSIS_FAILED_ALERT,
    expr: canaryAnalysisFailedExpr(),
    for: CANARY_ANALYSIS_FAILED_FOR,
    labels: { severity: 'ticket' },
    annotations: {
      summary: `Canary analysis {{ $labels.name }} ended {{ $labels.phase }}: the ${API_WORKLOAD.name} rollout was aborted.`,
      description:
        `AnalysisRun {{ $labels.name }} in namespace ${API_WORKLOAD.namespace} ended in phase {{ $labels.phase }} and Argo Rollouts aborted ` +
        `the ${API_WORKLOAD.name} rollout (phase ${ABORTED_ROLLOUT_PHASE}) for ${CANARY_ANALYSIS_FAILED_FOR}: the canary pods burned an SLO's budget ` +
        'faster than the lowest paging rate, or had an error measuring it. The stable revision serves all traffic; the new revision ' +
        'will not ship until someone retries or replaces it.',
      dashboard_url: dashboardPanelUrl(dashboardUid(config, 'red'), RED_PANEL_IDS.canaryAnalysis),
    },
  };
}

/**
 * Returns the alerts on canaries that stop without a failed analysis: aborted or timed out (pods that never become
 * ready), and paused by an inconclusive analysis. Tickets: the stable revision serves the users meanwhile.
 */
export function canaryStalledRules(config: PlatformConfig): AlertingRule[] {
  const dashboard_url = dashboardPanelUrl(dashboardUid(config, 'red'), RED_PANEL_IDS.canaryAnalysis);
  return [
    {
      alert: ROLLOUT_ABORTED_ALERT,
      expr: rolloutAbortedExpr(),
      for: CANARY_ANALYSIS_FAILED_FOR,
      labels: { severity: 'ticket' },
      annotations: {
        summary: `The ${API_WORKLOAD.name} rollout stopped in phase {{ $labels.phase }} without a failed analysis.`,
        description:
          `Argo Rollouts reports the ${API_WORKLOAD.name} rollout in phase {{ $labels.phase }} (${ROLLOUT_PHASES.aborted}: aborted, ` +
          `${ROLLOUT_PHASES.timedOut}: past its progress deadline) for ${CANARY_ANALYSIS_FAILED_FOR}, and no AnalysisRun failed: the new pods ` +
          'crash-loop or never become ready, or someone aborted the rollout. The stable revision serves the users; the new revision will ' +
          'not ship until someone fixes and retries it.',
        dashboard_url,
      },
    },
    {
      alert: CANARY_ANALYSIS_INCONCLUSIVE_ALERT,
      expr: canaryAnalysisInconclusiveExpr(),
      for: CANARY_ANALYSIS_INCONCLUSIVE_FOR,
      labels: { severity: 'ticket' },
      annotations: {
        summary: `Canary analysis {{ $labels.name }} is inconclusive: the ${API_WORKLOAD.name} rollout waits for a person.`,
        description:
          `AnalysisRun {{ $labels.name }} ended ${ANALYSIS_PHASES.inconclusive} and the ${API_WORKLOAD.name} rollout has been paused for ` +
          `${CANARY_ANALYSIS_INCONCLUSIVE_FOR}: the canary served too few requests to judge. The canary keeps its share of users until ` +
          'someone promotes or aborts it.',
        dashboard_url,
      },
    },
  ];
}

/** Returns the group of service alerts: SLI metrics absent, the gauge alerts, the counter alerts, the canary alert. */
export function serviceAlertGroup(config: PlatformConfig): RuleGroup {
  const saturation = dashboardUid(config, 'saturation');
  const absent: AlertingRule = {
    alert: SLI_METRICS_ABSENT_ALERT,
    // Without these series every burn-rate alert is silent, whatever the users see: this one must page.
    expr: `absent(${sliPresenceSelector()})`,
    for: SLI_METRICS_ABSENT_FOR,
    labels: { severity: 'page' },
    annotations: {
      summary: `Prometheus has no ${HTTP_REQUEST_DURATION} series of user requests from namespace ${API_WORKLOAD.namespace}: the SLO alerts are blind.`,
      description:
        `Prometheus has had no user request series of an API pod (probes and scrapes aside) for ${SLI_METRICS_ABSENT_FOR}, so availability ` +
        'and latency cannot be measured and no burn-rate alert can fire. Every pod is down, Prometheus cannot reach them, or no user ' +
        'request has reached a pod since it started.',
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
  const rates = rateAlerts().map((alert): AlertingRule => ({
    alert: alert.alert,
    expr: rateAlertExpr(alert),
    for: alert.for,
    labels: { severity: alert.severity },
    annotations: {
      summary: alert.summary,
      description: alert.description,
      dashboard_url: dashboardPanelUrl(saturation, alert.panelId),
    },
  }));
  const unauthorized = unauthorizedShareAlert();
  const refused: AlertingRule = {
    alert: unauthorized.alert,
    expr: rateAlertExpr(unauthorized),
    for: unauthorized.for,
    labels: { severity: unauthorized.severity },
    annotations: {
      summary: unauthorized.summary,
      description: unauthorized.description,
      dashboard_url: dashboardPanelUrl(dashboardUid(config, 'red'), unauthorized.panelId),
    },
  };
  return {
    name: 'api-service-alerts',
    rules: [
      absent,
      ...gauges,
      ...rates,
      refused,
      canaryAnalysisFailedRule(config),
      ...canaryStalledRules(config),
    ],
  };
}
