import { Chart, Testing } from 'cdk8s';
import { SloPrometheusRules } from '../../constructs/slo-prometheus-rules';

describe('SloPrometheusRules', () => {
  test('emits one PrometheusRule per rule file, recordings and alerts as written', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    const rules = new SloPrometheusRules(chart, 'Rules', {
      namespace: 'api',
      prometheusSelectorLabels: { release: 'p' },
      ruleFiles: [
        {
          fileName: 'slo-a.yaml',
          groups: [
            {
              name: 'g',
              rules: [
                { record: 'r', expr: 'up' },
                {
                  alert: 'A',
                  expr: 'up == 0',
                  for: '5m',
                  labels: { severity: 'page' },
                  annotations: { s: 'x' },
                },
              ],
            },
          ],
        },
      ],
    });
    const manifests = Testing.synth(chart);
    // THEN
    expect(rules.names).toEqual(['slo-a']);
    expect(manifests).toHaveLength(1);
    expect(manifests[0].metadata).toEqual({ name: 'slo-a', namespace: 'api', labels: { release: 'p' } });
    expect(manifests[0].spec.groups[0].rules).toEqual([
      { record: 'r', expr: 'up' },
      { alert: 'A', expr: 'up == 0', for: '5m', labels: { severity: 'page' }, annotations: { s: 'x' } },
    ]);
  });
});
