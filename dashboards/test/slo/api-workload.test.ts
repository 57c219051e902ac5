import { API_WORKLOAD } from '../../slo/api-workload';

describe('API_WORKLOAD', () => {
  it('names the pod-template-hash series label as Prometheus sanitises the pod label', () => {
    expect(API_WORKLOAD.prometheusLabels.podTemplateHash).toBe(
      API_WORKLOAD.podTemplateHashLabelKey.replace(/[^a-zA-Z0-9_]/g, '_'),
    );
  });
});
