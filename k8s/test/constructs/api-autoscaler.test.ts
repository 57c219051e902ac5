import { Chart, Testing } from 'cdk8s';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { ApiAutoscaler } from '../../constructs/api-autoscaler';

describe('ApiAutoscaler', () => {
  const { workload } = loadPlatformConfig('prod');

  test('scales up without waiting and down after the stabilisation window', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new ApiAutoscaler(chart, 'Hpa', {
      rolloutName: 'api',
      namespace: 'api',
      workload,
      scaleDownStabilizationSeconds: 600,
    });
    const [hpa] = Testing.synth(chart);
    // THEN
    expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
  });

  test('rejects a stabilisation window over an hour', () => {
    // THEN
    expect(
      () =>
        new ApiAutoscaler(new Chart(Testing.app(), 't'), 'Hpa', {
          rolloutName: 'api',
          namespace: 'api',
          workload,
          scaleDownStabilizationSeconds: 3601,
        }),
    ).toThrow(/scaleDownStabilizationSeconds must be between 0 and 3600/);
  });
});
