import { Chart, Testing } from 'cdk8s';
import { METRICS_PATH } from '../../../service/src/probe-paths';
import { OutboxRelayPodMonitor } from '../../constructs/outbox-relay-pod-monitor';
import { RELAY_POD_LABELS, RELAY_PORT_NAME } from '../../lib/api-labels';

describe('OutboxRelayPodMonitor', () => {
  test('scrapes the relay pods on their metrics port, labelled for the Prometheus instance', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new OutboxRelayPodMonitor(chart, 'Monitor', {
      name: 'api-relay',
      namespace: 'api',
      prometheusSelectorLabels: { release: 'p' },
      interval: '15s',
    });
    const [monitor] = Testing.synth(chart);
    // THEN
    expect(monitor.kind).toBe('PodMonitor');
    expect(monitor.metadata.labels).toEqual({ release: 'p' });
    expect(monitor.spec.selector).toEqual({ matchLabels: RELAY_POD_LABELS });
    expect(monitor.spec.podMetricsEndpoints).toEqual([
      { port: RELAY_PORT_NAME, path: METRICS_PATH, interval: '15s' },
    ]);
  });
});
