import { Chart, Testing } from 'cdk8s';
import { API_WORKLOAD } from '../../../dashboards/slo/api-workload';
import { METRICS_PATH } from '../../../service/src/probe-paths';
import { ApiServiceMonitor } from '../../constructs/api-service-monitor';

describe('ApiServiceMonitor', () => {
  test('scrapes the metrics path and keeps the revision label for the canary analysis', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new ApiServiceMonitor(chart, 'Monitor', { namespace: 'api', prometheusSelectorLabels: { release: 'p' } });
    const [monitor] = Testing.synth(chart);
    // THEN
    expect(monitor.metadata.labels).toEqual({ release: 'p' });
    expect(monitor.spec.endpoints[0].path).toBe(METRICS_PATH);
    expect(monitor.spec.podTargetLabels).toContain(API_WORKLOAD.podTemplateHashLabelKey);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['api'] });
  });
});
