import { loadPlatformConfig } from '../../../infra/config/platform-config';
import {
  burnRate,
  metaRecordingGroup,
  sliRecordingGroup,
  timeToBudgetExhaustion,
} from '../../prometheus/slo-recording-rules';
import { apiSlos } from '../../slo/slo-definition';

describe('SLO recording rules', () => {
  // GIVEN
  const [availability] = apiSlos(loadPlatformConfig('prod'));

  it('records the 30-day ratio as bad requests over requests, from the 5-minute rates, never an average of ratios', () => {
    const rules = sliRecordingGroup(availability).rules;
    const period = rules.at(-1)!;
    expect(period).toMatchObject({ record: 'slo:sli_error:ratio_rate30d', labels: { sloth_window: '30d' } });
    expect(period.expr).toMatch(
      /^sum_over_time\(slo:sli_errors:rate5m\{.*\}\[30d\]\)\n\/\n\(sum_over_time\(slo:sli_requests:rate5m\{.*\}\[30d\]\) > 0\)$/,
    );
    expect(period.expr).not.toContain('ratio_rate5m');
    expect(rules.map((r) => ('record' in r ? r.record : r.alert))).toEqual(
      expect.arrayContaining(['slo:sli_requests:rate5m', 'slo:sli_errors:rate5m']),
    );
  });

  it('records the objective and budget from the configuration', () => {
    const meta = metaRecordingGroup(availability).rules;
    expect(meta.find((r) => 'record' in r && r.record === 'slo:objective:ratio')?.expr).toBe('vector(0.999)');
    expect(meta.find((r) => 'record' in r && r.record === 'slo:error_budget:ratio')?.expr).toBe(
      'vector(0.001)',
    );
  });

  it('divides the error ratio by the budget for a burn rate', () => {
    expect(burnRate(availability, '1h')).toBe(
      'slo:sli_error:ratio_rate1h{sloth_id="api-availability",sloth_service="api",sloth_slo="availability"} / 0.001',
    );
  });

  it('computes the time to exhaustion from the budget left and the burn rate over a window', () => {
    expect(timeToBudgetExhaustion(availability, '1h')).toMatch(
      /^clamp_min\(slo:period_error_budget_remaining:ratio\{.*\}, 0\) \* 2592000 \/ ignoring\(sloth_window\) \(slo:sli_error:ratio_rate1h\{.*\} \/ 0\.001\)$/,
    );
  });
});
