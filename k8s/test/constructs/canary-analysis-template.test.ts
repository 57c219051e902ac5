import { Chart, Testing } from 'cdk8s';
import { apiSlos } from '../../../dashboards/slo/slo-definition';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { CanaryAnalysisTemplate } from '../../constructs/canary-analysis-template';
import { CLUSTER_ADDONS } from '../../lib/cluster-addons';

describe('CanaryAnalysisTemplate', () => {
  const slos = apiSlos(loadPlatformConfig('dev'));

  test('queries the cluster Prometheus once per SLO, with the limits given', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new CanaryAnalysisTemplate(chart, 'A', {
      name: 'a',
      namespace: 'api',
      slos,
      failureLimit: 2,
      inconclusiveLimit: 3,
    });
    const [template] = Testing.synth(chart);
    // THEN
    expect(template.spec.metrics).toHaveLength(slos.length);
    for (const metric of template.spec.metrics) {
      expect(metric).toMatchObject({ failureLimit: 2, inconclusiveLimit: 3, interval: '1m' });
      expect(metric.provider.prometheus.address).toBe(CLUSTER_ADDONS.prometheusUrl);
    }
  });

  test('rejects no SLOs and negative limits', () => {
    // THEN
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new CanaryAnalysisTemplate(chart, 'A', { name: 'a', namespace: 'api', slos: [] })).toThrow(
      /slos must not be empty/,
    );
    expect(
      () => new CanaryAnalysisTemplate(chart, 'B', { name: 'b', namespace: 'api', slos, failureLimit: -1 }),
    ).toThrow(/must not be negative/);
  });
});
