import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { Construct } from 'constructs';
import { canaryAnalysisQueries } from '../../dashboards/prometheus/canary-analysis-queries';
import type { SloDefinition } from '../../dashboards/slo/slo-definition';
import { CLUSTER_ADDONS } from '../lib/cluster-addons';
import { ModelObject } from '../lib/model-object';

/** Argument through which the Rollout passes the canary revision's pod template hash. */
export const CANARY_HASH_ARG = 'canary-hash';

/** Properties of a CanaryAnalysisTemplate. */
export interface CanaryAnalysisTemplateProps {
  /** Template name, referenced by the Rollout. */
  readonly name: string;
  /** Namespace of the Rollout. */
  readonly namespace: string;
  /** The SLOs the canary is judged by: one measurement each. */
  readonly slos: readonly SloDefinition[];
  /**
   * Prometheus query URL.
   * @default - the cluster's Prometheus Operator instance
   */
  readonly prometheusUrl?: string;
  /**
   * Time between measurements.
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * Failed measurements tolerated per SLO; one more aborts the rollout and scales the canary away.
   * @default 1
   */
  readonly failureLimit?: number;
  /**
   * Inconclusive measurements (too little canary traffic) tolerated per SLO; one more pauses the rollout for a human.
   * @default 5
   */
  readonly inconclusiveLimit?: number;
}

/**
 * An Argo Rollouts AnalysisTemplate measuring the canary pods with the SLO queries from dashboards/, so a
 * canary fails exactly when promoting it would start burning the error budget at a paging rate.
 */
export class CanaryAnalysisTemplate extends Construct {
  /** The template name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: CanaryAnalysisTemplateProps) {
    super(scope, id);
    const failureLimit = props.failureLimit ?? 1;
    const inconclusiveLimit = props.inconclusiveLimit ?? 5;
    if (props.slos.length === 0) throw new Error('CanaryAnalysisTemplate: slos must not be empty');
    if (failureLimit < 0 || inconclusiveLimit < 0) {
      throw new Error('CanaryAnalysisTemplate: failureLimit and inconclusiveLimit must not be negative');
    }
    this.name = props.name;
    const queries = canaryAnalysisQueries(props.slos, { podTemplateHash: `{{args.${CANARY_HASH_ARG}}}` });
    new ModelObject(this, 'Resource', {
      model: new AnalysisTemplate({
        metadata: { name: props.name, namespace: props.namespace },
        spec: {
          args: [{ name: CANARY_HASH_ARG }],
          metrics: queries.map((q) => ({
            name: q.name,
            interval: props.interval ?? '1m',
            failureLimit,
            inconclusiveLimit,
            successCondition: q.successCondition,
            failureCondition: q.failureCondition,
            provider: {
              prometheus: { address: props.prometheusUrl ?? CLUSTER_ADDONS.prometheusUrl, query: q.query },
            },
          })),
        },
      }),
    });
  }
}
