import { Chart, Testing } from 'cdk8s';
import { GrafanaDashboardConfigMaps } from '../../constructs/grafana-dashboard-config-maps';

describe('GrafanaDashboardConfigMaps', () => {
  test('puts each dashboard in a ConfigMap named after its uid, labelled for the sidecar', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new GrafanaDashboardConfigMaps(chart, 'Dashboards', {
      namespace: 'monitoring',
      sidecarLabels: { grafana_dashboard: '1' },
      dashboards: [{ uid: 'd1' }],
    });
    const [configMap] = Testing.synth(chart);
    // THEN
    expect(configMap.metadata).toEqual({
      name: 'grafana-dashboard-d1',
      namespace: 'monitoring',
      labels: { grafana_dashboard: '1' },
    });
    expect(JSON.parse(configMap.data['d1.json'])).toEqual({ uid: 'd1' });
  });

  test('rejects a dashboard without a uid', () => {
    // THEN
    expect(
      () =>
        new GrafanaDashboardConfigMaps(new Chart(Testing.app(), 't'), 'D', {
          namespace: 'monitoring',
          sidecarLabels: {},
          dashboards: [{}],
        }),
    ).toThrow(/every dashboard needs a uid/);
  });
});
