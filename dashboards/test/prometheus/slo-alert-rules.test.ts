import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { burnRateCondition, sloAlertGroup } from '../../prometheus/slo-alert-rules';
import { MIN_REQUESTS_IN_LONG_WINDOW } from '../../slo/burn-rate-windows';
import { apiSlos } from '../../slo/slo-definition';

describe('SLO alert rules', () => {
  // GIVEN
  const [, latencyGet] = apiSlos(loadPlatformConfig('prod'));

  it('requires both windows over the factor times the budget, and enough requests', () => {
    const condition = burnRateCondition(latencyGet, latencyGet.burnRateWindows[1]);
    expect(condition).toContain('slo:sli_error:ratio_rate6h{sloth_id="api-latency-get"');
    expect(condition).toContain('slo:sli_error:ratio_rate30m{sloth_id="api-latency-get"');
    expect(condition.match(/> \(6 \* 0\.01\)/g)).toHaveLength(2);
    expect(condition).toContain(`method="GET"}[6h])) * 21600 >= ${MIN_REQUESTS_IN_LONG_WINDOW})`);
  });

  it('makes one rule per window, linking the given panel', () => {
    const group = sloAlertGroup(latencyGet, () => 'https://grafana.example.com/d/x?viewPanel=23');
    expect(group.rules).toHaveLength(latencyGet.burnRateWindows.length);
    expect(group.rules[0]).toMatchObject({
      alert: 'ApiLatencyErrorBudgetBurn',
      for: '2m',
      annotations: { dashboard_url: 'https://grafana.example.com/d/x?viewPanel=23' },
    });
  });
});
