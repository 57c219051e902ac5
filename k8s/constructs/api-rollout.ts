import { Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { Construct } from 'constructs';
import { API_POD_LABELS } from '../lib/api-labels';
import { ModelObject } from '../lib/model-object';
import { CANARY_HASH_ARG } from './canary-analysis-template';

/** One canary step: traffic share in percent, then how long to watch it. */
export interface CanaryStep {
  /**
   * Requested percent of the pods running the new revision (`setWeight`). The real share of pods, hence of requests,
   * is rounded to whole pods: see `effectiveCanaryShare`.
   */
  readonly weight: number;
  /** Pause after reaching the weight, while the analysis measures it, for example `5m`. */
  readonly pause: string;
}

/**
 * Steps used when none are given: a small canary first, then growing while the SLOs hold. Without a traffic router
 * the weights are whole pods: at 3 replicas (prod's minimum) 5% and 25% both run 1 canary pod beside 3 stable ones,
 * 25% of requests, then 50%; at dev's 2 replicas, 33%, 33%, 50% (`effectiveCanaryShare`, tested).
 */
export const DEFAULT_CANARY_STEPS: readonly CanaryStep[] = [
  { weight: 5, pause: '5m' },
  { weight: 25, pause: '5m' },
  { weight: 50, pause: '5m' },
];

/** Properties of an ApiRollout. */
export interface ApiRolloutProps {
  /** Rollout name; the HPA and the SLO labels use it. */
  readonly name: string;
  /** Namespace of the Rollout. */
  readonly namespace: string;
  /** The pod template. */
  readonly template: IPodTemplateSpec;
  /** Service selecting only stable pods (Argo Rollouts sets its selector). */
  readonly stableServiceName: string;
  /** Service selecting only canary pods (Argo Rollouts sets its selector). */
  readonly canaryServiceName: string;
  /** AnalysisTemplate judging the canary in the background from the first pause on. */
  readonly analysisTemplateName: string;
  /**
   * Annotations of the Rollout object (for example an Argo CD sync wave).
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Canary steps; after the last one the new revision takes all traffic.
   * @default DEFAULT_CANARY_STEPS
   */
  readonly steps?: readonly CanaryStep[];
}

/**
 * Share of the pods, hence of the requests the load balancer spreads over ready pods, that the canary gets at
 * `weight` percent of `replicas` without a traffic router. Argo Rollouts rounds both counts up, canary
 * ceil(replicas × weight) and stable ceil(replicas × (1 − weight)), so both keep a pod: DesiredReplicaCountsForCanary
 * in argoproj/argo-rollouts utils/replicaset/canary.go.
 */
export function effectiveCanaryShare(replicas: number, weight: number): number {
  const canary = Math.ceil((replicas * weight) / 100);
  const stable = Math.ceil(replicas * (1 - weight / 100));
  return canary / (canary + stable);
}

/**
 * The API as an Argo Rollouts Rollout with a replica-weighted canary: the load balancer sends traffic to
 * every ready pod, so a weight is a share of whole pods (`effectiveCanaryShare`: far above a small weight at a
 * few replicas), and a failed analysis scales the canary back to zero.
 */
export class ApiRollout extends Construct {
  /** The Rollout name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ApiRolloutProps) {
    super(scope, id);
    const steps = props.steps ?? DEFAULT_CANARY_STEPS;
    if (steps.length === 0) throw new Error('ApiRollout: steps must not be empty');
    steps.forEach((step, index) => {
      const previous = index === 0 ? 0 : steps[index - 1].weight;
      if (!(step.weight > previous && step.weight < 100)) {
        throw new Error(
          `ApiRollout: steps[${index}].weight must rise and stay below 100, got ${step.weight}`,
        );
      }
    });
    this.name = props.name;
    new ModelObject(this, 'Resource', {
      model: new Rollout({
        metadata: {
          name: props.name,
          namespace: props.namespace,
          annotations: props.annotations && { ...props.annotations },
        },
        spec: {
          // No `replicas`: the HPA owns the count, and re-applying a fixed number would undo its scaling.
          selector: { matchLabels: { ...API_POD_LABELS } },
          revisionHistoryLimit: 5,
          // A revision that cannot become ready in 10 minutes is aborted rather than left half-deployed.
          progressDeadlineSeconds: 600,
          progressDeadlineAbort: true,
          template: props.template,
          strategy: {
            canary: {
              stableService: props.stableServiceName,
              canaryService: props.canaryServiceName,
              // Surge only: stable capacity never drops while the canary starts.
              maxSurge: '25%',
              maxUnavailable: 0,
              analysis: {
                templates: [{ templateName: props.analysisTemplateName }],
                // From the first pause on, so the analysis never judges a revision with no pods.
                startingStep: 1,
                args: [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }],
              },
              steps: steps.flatMap((step) => [
                { setWeight: step.weight },
                { pause: { duration: step.pause } },
              ]),
            },
          },
        },
      }),
    });
  }
}
