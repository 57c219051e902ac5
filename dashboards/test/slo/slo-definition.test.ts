import { loadPlatformConfig, type PlatformConfig } from '../../../infra/config/platform-config';
import { apiSlos, sliErrorRatio, sliGoodRate, sliTotalRate } from '../../slo/slo-definition';

describe('apiSlos', () => {
  // GIVEN
  const config = loadPlatformConfig('prod');
  const slos = apiSlos(config);

  it('has an availability SLO and one latency SLO per configured method, with the configured targets', () => {
    // THEN
    expect(slos.map((slo) => [slo.id, slo.objective, slo.periodDays])).toEqual([
      ['api-availability', config.slo.availabilityTarget, config.slo.windowDays],
      ...config.slo.latency.map((o) => [
        `api-latency-${o.method.toLowerCase()}`,
        o.target,
        config.slo.windowDays,
      ]),
    ]);
    expect(slos[0].errorBudget).toBe(0.001);
  });

  it('judges latency at the configured threshold bucket', () => {
    for (const objective of config.slo.latency) {
      const slo = slos.find((s) => s.name === `latency-${objective.method.toLowerCase()}`)!;
      expect(sliGoodRate(slo, '5m')).toContain(
        `method="${objective.method}",le="${objective.thresholdMs / 1000}"`,
      );
    }
  });

  it('excludes probes and scrapes from every SLI', () => {
    for (const slo of slos) {
      expect(sliTotalRate(slo, '1h')).toContain('route!~"/health/live|/health/ready|/metrics"');
    }
  });

  it('counts only 5xx as availability errors', () => {
    expect(sliErrorRatio(slos[0], '5m')).toMatch(/status_class="5xx"/);
    expect(sliErrorRatio(slos[0], '5m')).toMatchSnapshot();
  });

  it('gives no ratio without traffic, never NaN', () => {
    for (const slo of slos) expect(sliErrorRatio(slo, '5m')).toMatch(/\[5m\]\)\) > 0\)(\n\))?$/);
    // Before the first 5xx there is no 5xx series: the ratio is 0, not missing.
    expect(sliErrorRatio(slos[0], '5m')).toMatch(/\n {2}or 0 \* sum by \(region\) \(rate\(/);
  });

  it('throws naming the method when a latency threshold is not a histogram bucket', () => {
    // GIVEN
    const odd: PlatformConfig = {
      ...config,
      slo: { ...config.slo, latency: [{ method: 'GET', thresholdMs: 250, target: 0.99 }] },
    };

    // THEN
    expect(() => apiSlos(odd)).toThrow(/GET thresholdMs 250 is not a bucket/);
  });

  it('sums every SLI per region, so regions meeting in one store are still judged apart', () => {
    for (const slo of slos) {
      for (const expr of [sliTotalRate(slo, '1h'), sliGoodRate(slo, '1h'), sliErrorRatio(slo, '1h')]) {
        expect(expr).not.toMatch(/sum\(/);
        expect(expr).toMatch(/sum by \(region\) \(rate\(/);
      }
    }
  });
});
