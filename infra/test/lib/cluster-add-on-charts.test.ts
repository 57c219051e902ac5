import { Testing } from 'cdk8s';
import { ApiChart } from '../../../k8s/charts/api-chart';
import { CLUSTER_ADDONS } from '../../../k8s/lib/cluster-addons';
import { placeholderSecretSources } from '../../../k8s/lib/placeholder-secret-sources';
import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../config/platform-config';
import {
  addOnPrerequisites,
  CLUSTER_ADD_ON_CHARTS,
  operatorCrdsEnabledByValues,
  type ClusterAddOnChart,
} from '../../lib/cluster-add-on-charts';

describe('CLUSTER_ADD_ON_CHARTS', () => {
  test.each(ENVIRONMENT_NAMES)(
    'the Prometheus adapter serves exactly the custom metric the %s HPA scales on',
    (envName) => {
      // GIVEN
      const config = loadPlatformConfig(envName);
      const chart = new ApiChart(Testing.app(), 'api', {
        config,
        region: config.primaryRegion,
        secretSources: placeholderSecretSources(config, config.primaryRegion),
      });
      // WHEN
      const hpa = Testing.synth(chart).find((m) => m.kind === 'HorizontalPodAutoscaler');
      const hpaMetrics: string[] = hpa.spec.metrics
        .filter((m: { type: string }) => m.type === 'Pods')
        .map((m: { pods: { metric: { name: string } } }) => m.pods.metric.name);
      const { rules } = CLUSTER_ADD_ON_CHARTS.PrometheusAdapter.values;
      // THEN
      expect(hpaMetrics).toHaveLength(1);
      expect(rules.custom.map((rule) => rule.name.as)).toEqual(hpaMetrics);
      // Only this rule: the default rules would publish every series as a custom metric.
      expect(rules.default).toBe(false);
    },
  );

  test('the adapter queries the Prometheus the canary analysis reads, and Prometheus selects the relay PodMonitor', () => {
    // WHEN
    const { prometheus } = CLUSTER_ADD_ON_CHARTS.PrometheusAdapter.values;
    const spec = CLUSTER_ADD_ON_CHARTS.PrometheusStack.values.prometheus.prometheusSpec;
    // THEN
    expect(`${prometheus.url}:${prometheus.port}`).toBe(CLUSTER_ADDONS.prometheusUrl);
    expect(CLUSTER_ADD_ON_CHARTS.PrometheusAdapter.namespace).toBe(CLUSTER_ADDONS.monitoringNamespace);
    expect(spec.podMonitorSelector).toEqual({ matchLabels: CLUSTER_ADDONS.prometheusSelectorLabels });
  });

  test.each(Object.entries(CLUSTER_ADD_ON_CHARTS))(
    '%s declares every Prometheus Operator kind its values switch on',
    (_id, chart: ClusterAddOnChart) => {
      // THEN
      expect(chart.usesCrds ?? []).toEqual(expect.arrayContaining(operatorCrdsEnabledByValues(chart.values)));
    },
  );

  test('installs argo-rollouts after the release that brings the ServiceMonitor CRD its values enable', () => {
    // WHEN
    const prerequisites = addOnPrerequisites(CLUSTER_ADD_ON_CHARTS);
    // THEN
    expect(prerequisites.ArgoRollouts).toEqual(['PrometheusStack']);
    expect(prerequisites.PrometheusStack).toEqual([]);
  });
});

describe('addOnPrerequisites', () => {
  const base = { repository: 'https://charts.example', version: '1.0.0', namespace: 'x', timeoutMinutes: 5 };

  test('refuses an add-on whose values use a kind no add-on provides', () => {
    // GIVEN
    const charts = {
      Rollouts: { ...base, chart: 'r', release: 'r', usesCrds: ['monitoring.coreos.com/ServiceMonitor'] },
    };
    // THEN
    expect(() => addOnPrerequisites(charts)).toThrow(
      /add-on Rollouts uses monitoring.coreos.com\/ServiceMonitor, which no add-on provides/,
    );
  });

  test('refuses a cycle', () => {
    // GIVEN
    const charts = {
      A: { ...base, chart: 'a', release: 'a', providesCrds: ['x.io/A'], usesCrds: ['x.io/B'] },
      B: { ...base, chart: 'b', release: 'b', providesCrds: ['x.io/B'], usesCrds: ['x.io/A'] },
    };
    // THEN
    expect(() => addOnPrerequisites(charts)).toThrow(/depends on itself/);
  });

  test('finds the kinds switched on anywhere in the values', () => {
    // THEN
    expect(
      operatorCrdsEnabledByValues({
        controller: { metrics: { serviceMonitor: { enabled: true } } },
        rules: { prometheusRule: { enabled: false } },
      }),
    ).toEqual(['monitoring.coreos.com/ServiceMonitor']);
  });
});
