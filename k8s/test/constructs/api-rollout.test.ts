import { Chart, Testing } from 'cdk8s';
import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../../infra/config/platform-config';
import {
  ApiRollout,
  DEFAULT_CANARY_STEPS,
  effectiveCanaryShare,
  type ApiRolloutProps,
} from '../../constructs/api-rollout';
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

  test.each([
    // Argo Rollouts' own examples (CalculateReplicaCountsForCanary in utils/replicaset/canary.go, no traffic router):
    // 10 replicas at 5% run 1 canary pod beside ceil(9.5) = 10 stable; 1 replica at 5% runs 1 beside 1.
    [10, 5, 1 / 11],
    [1, 5, 1 / 2],
    [3, 5, 1 / 4],
    [3, 25, 1 / 4],
    [3, 50, 2 / 4],
    [2, 5, 1 / 3],
    [10, 50, 5 / 10],
  ])(
    'rounds a weight to whole pods as Argo Rollouts does: %i replicas at %i%% give a share of %f',
    (replicas, weight, share) => {
      expect(effectiveCanaryShare(replicas, weight)).toBeCloseTo(share, 10);
    },
  );

  test('sends the default steps far more traffic than their weights at the minimum replicas, as the comments say', () => {
    const shares = Object.fromEntries(
      ENVIRONMENT_NAMES.map((env) => [
        env,
        DEFAULT_CANARY_STEPS.map((step) =>
          Math.round(effectiveCanaryShare(loadPlatformConfig(env).workload.replicas.min, step.weight) * 100),
        ),
      ]),
    );
    expect(shares).toEqual({ dev: [33, 33, 50], prod: [25, 25, 50] });
  });
});
