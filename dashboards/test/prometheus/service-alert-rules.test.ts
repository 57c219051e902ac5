import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { DEFAULT_CANARY_STEPS } from '../../../k8s/constructs/api-rollout';
import { ROLLOUT_PHASES } from '../../prometheus/argo-rollouts-metrics';
import { durationSeconds } from '../../slo/duration';
import {
  SERVICE_ALERT_THRESHOLDS,
  gaugeAlertExpr,
  gaugeAlerts,
  rateAlertExpr,
  rateAlerts,
  CANARY_ANALYSIS_INCONCLUSIVE_FOR,
  canaryAnalysisFailedExpr,
  canaryAnalysisInconclusiveExpr,
  rolloutAbortedExpr,
  serviceAlertGroup,
  sliPresenceSelector,
  unauthorizedShareAlert,
} from '../../prometheus/service-alert-rules';

describe('service alerts', () => {
  // GIVEN
  const config = loadPlatformConfig('prod');

  it('alerts on event-loop lag above half the tightest latency objective', () => {
    const lag = gaugeAlerts(config).find((a) => a.alert === 'ApiEventLoopLagHigh')!;
    expect(lag.threshold).toBe(Math.min(...config.slo.latency.map((o) => o.thresholdMs)) / 2000);
    expect(gaugeAlertExpr(lag)).toBe(
      'max by (namespace, pod) (nodejs_eventloop_lag_p99_seconds{namespace="api"}) > 0.1',
    );
  });

  it('alerts per pod and pool on queries waiting for a connection', () => {
    const waiting = gaugeAlerts(config).find((a) => a.alert === 'ApiDbPoolClientsWaiting')!;
    expect(gaugeAlertExpr(waiting)).toBe(
      'max by (namespace, pod, pool) (db_pool_connections{namespace="api",state="waiting"}) > 0',
    );
  });

  it('tickets once for the namespace, not per pod, when the database circuit breaker stays open for five minutes', () => {
    const breaker = gaugeAlerts(config).find((a) => a.alert === 'ApiDatabaseCircuitOpen')!;
    expect(breaker).toMatchObject({ severity: 'ticket', for: '5m' });
    expect(gaugeAlertExpr(breaker)).toBe(
      'max by (namespace, dependency) (circuit_breaker_state{namespace="api",dependency="postgres"}) > 1',
    );
  });

  it('tickets per pod when the Redis circuit breaker stays open (state 2) for five minutes', () => {
    const breaker = gaugeAlerts(config).find((a) => a.alert === 'ApiRedisCircuitOpen')!;
    expect(breaker).toMatchObject({ severity: 'ticket', for: '5m' });
    expect(gaugeAlertExpr(breaker)).toBe(
      'max by (namespace, pod, dependency) (circuit_breaker_state{namespace="api",dependency="redis"}) > 1',
    );
  });

  it('tickets once for the namespace when the outbox lags more than five minutes', () => {
    const outbox = gaugeAlerts(config).find((a) => a.alert === 'ApiOutboxLagHigh')!;
    expect(outbox).toMatchObject({ severity: 'ticket', for: '10m', threshold: 300 });
    expect(gaugeAlertExpr(outbox)).toBe(
      'max by (namespace) (outbox_oldest_unpublished_age_seconds{namespace="api"}) > 300',
    );
  });

  it('alerts on the combined memory and Redis hit ratio per cache, guarded by a minimum of lookups', () => {
    const cache = rateAlerts().find((a) => a.alert === 'ApiCacheHitRatioLow')!;
    expect(cache).toMatchObject({ severity: 'ticket', for: '15m' });
    expect(rateAlertExpr(cache)).toBe(
      [
        '(sum by (namespace, cache) (rate(cache_lookups_total{namespace="api",result="hit"}[5m]))',
        '/',
        'sum by (namespace, cache) (rate(cache_lookups_total{namespace="api",level="memory"}[5m]))) < 0.8',
        'and',
        `sum by (namespace, cache) (rate(cache_lookups_total{namespace="api",level="memory"}[5m])) >= ${SERVICE_ALERT_THRESHOLDS.cacheMinLookupsPerSecond}`,
      ].join('\n'),
    );
  });

  it('alerts on any request counted without Redis, and on any request shed', () => {
    const [, limiter, shed] = rateAlerts();
    expect(rateAlertExpr(limiter)).toBe(
      '(sum by (namespace) (rate(rate_limit_requests_total{namespace="api",store="local"}[5m]))\n/\n' +
        'sum by (namespace) (rate(rate_limit_requests_total{namespace="api"}[5m]))) > 0',
    );
    expect(rateAlertExpr(shed)).toBe(
      '(sum by (namespace) (rate(http_requests_shed_total{namespace="api"}[5m]))) > 0',
    );
  });

  it('pages when the SLI metrics of user requests are absent', () => {
    const absent = serviceAlertGroup(config).rules[0];
    expect(absent).toMatchObject({
      alert: 'ApiSliMetricsAbsent',
      expr: 'absent(http_request_duration_seconds_count{namespace="api",route!~"/health/live|/health/ready|/metrics"})',
      labels: { severity: 'page' },
    });
  });

  it('pages on the share of user requests refused with 401 for their token, scanners and probes left out', () => {
    const refused = unauthorizedShareAlert();
    expect(refused).toMatchObject({
      severity: 'page',
      threshold: SERVICE_ALERT_THRESHOLDS.unauthorizedShareMax,
    });
    expect(rateAlertExpr(refused)).toBe(
      [
        '(sum by (namespace) (rate(auth_token_verifications_total{namespace="api",outcome!~"accepted|missing|identity_provider_unavailable"}[5m]))',
        '/',
        'sum by (namespace) (rate(http_request_duration_seconds_count{namespace="api",route!~"/health/live|/health/ready|/metrics"}[5m]))) > 0.2',
        'and',
        'sum by (namespace) (rate(http_request_duration_seconds_count{namespace="api",route!~"/health/live|/health/ready|/metrics"}[5m])) >= 1',
      ].join('\n'),
    );
  });

  it('counts only user requests in the series whose absence blinds the SLIs', () => {
    expect(sliPresenceSelector()).toBe(
      'http_request_duration_seconds_count{namespace="api",route!~"/health/live|/health/ready|/metrics"}',
    );
  });

  it('reads rollout_info phases as the Argo Rollouts controller names them, never the CLI status Degraded', () => {
    // calculatePhase in argoproj/argo-rollouts controller/metrics/rollouts.go: RolloutAborted gives Abort,
    // ProgressDeadlineExceeded gives Timeout, RolloutPaused gives Paused.
    expect(ROLLOUT_PHASES).toEqual({ aborted: 'Abort', timedOut: 'Timeout', paused: 'Paused' });
    expect(canaryAnalysisFailedExpr()).toContain(
      'rollout_info{exported_namespace="api",name="api",phase=~"Abort"}',
    );
    expect(rolloutAbortedExpr()).toContain('phase=~"Abort|Timeout"');
    for (const expr of [canaryAnalysisFailedExpr(), rolloutAbortedExpr(), canaryAnalysisInconclusiveExpr()]) {
      expect(expr).not.toMatch(/Degraded|Healthy/);
    }
  });

  it('tickets on an inconclusive analysis only once the pause outlasts the longest planned pause step', () => {
    const longest = Math.max(...DEFAULT_CANARY_STEPS.map((step) => durationSeconds(step.pause)));
    expect(durationSeconds(CANARY_ANALYSIS_INCONCLUSIVE_FOR)).toBeGreaterThan(longest);
    expect(canaryAnalysisInconclusiveExpr()).toContain('phase=~"Inconclusive"');
    expect(canaryAnalysisInconclusiveExpr()).toContain('phase=~"Paused"');
  });
});
