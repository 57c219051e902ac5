import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { gaugeAlertExpr, gaugeAlerts, serviceAlertGroup } from '../../prometheus/service-alert-rules';

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

  it('pages when the SLI metrics are absent', () => {
    const absent = serviceAlertGroup(config).rules[0];
    expect(absent).toMatchObject({
      alert: 'ApiSliMetricsAbsent',
      expr: 'absent(http_request_duration_seconds_count{namespace="api"})',
      labels: { severity: 'page' },
    });
  });
});
