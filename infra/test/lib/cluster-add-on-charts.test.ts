import { Testing } from 'cdk8s';
import { ApiChart } from '../../../k8s/charts/api-chart';
import { CLUSTER_ADDONS } from '../../../k8s/lib/cluster-addons';
import { placeholderSecretSources } from '../../../k8s/lib/placeholder-secret-sources';
import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../config/platform-config';
import { CLUSTER_ADD_ON_CHARTS } from '../../lib/cluster-add-on-charts';

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
});
