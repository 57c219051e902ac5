import { Chart, Testing } from 'cdk8s';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { ApiRollout, DEFAULT_CANARY_STEPS, type ApiRolloutProps } from '../../constructs/api-rollout';
import { apiPodTemplate } from '../../lib/api-pod-template';

describe('ApiRollout', () => {
  const props: ApiRolloutProps = {
    name: 'api',
    namespace: 'api',
    template: apiPodTemplate({
      workload: loadPlatformConfig('dev').workload,
      image: 'example/api:1.0.0',
      serviceAccountName: 'api',
      configMapName: 'api-config',
      secretName: 'api-secrets',
      databaseEnvironment: {},
    }),
    stableServiceName: 'api-stable',
    canaryServiceName: 'api-canary',
    analysisTemplateName: 'api-slo',
  };

  test('walks the canary through each weight with a pause, analysed from the first pause on', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new ApiRollout(chart, 'Rollout', props);
    const [rollout] = Testing.synth(chart);
    // THEN
    const canary = rollout.spec.strategy.canary;
    expect(canary.steps).toEqual(
      DEFAULT_CANARY_STEPS.flatMap((s) => [{ setWeight: s.weight }, { pause: { duration: s.pause } }]),
    );
    expect(canary.analysis.startingStep).toBe(1);
    expect(canary.maxUnavailable).toBe(0);
    expect(rollout.spec.progressDeadlineAbort).toBe(true);
  });

  test.each([
    [[], /steps must not be empty/],
    [
      [
        { weight: 50, pause: '1m' },
        { weight: 25, pause: '1m' },
      ],
      /steps\[1\]\.weight must rise/,
    ],
    [[{ weight: 100, pause: '1m' }], /steps\[0\]\.weight must rise and stay below 100, got 100/],
  ])('rejects steps %j', (steps, message) => {
    // THEN
    expect(() => new ApiRollout(new Chart(Testing.app(), 't'), 'Rollout', { ...props, steps })).toThrow(
      message,
    );
  });
});
