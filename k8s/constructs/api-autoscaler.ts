import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Construct } from 'constructs';
import type { WorkloadConfig } from '../../infra/config/platform-config';
import { ModelObject } from '../lib/model-object';
import { REQUESTS_PER_SECOND_METRIC } from '../lib/requests-per-second-metric';

/** Properties of an ApiAutoscaler. */
export interface ApiAutoscalerProps {
  /** Name of the Rollout to scale. */
  readonly rolloutName: string;
  /** Namespace of the Rollout. */
  readonly namespace: string;
  /** Replica bounds and targets. */
  readonly workload: WorkloadConfig;
  /**
   * How long the HPA waits before removing pods, in seconds.
   * @default 300
   */
  readonly scaleDownStabilizationSeconds?: number;
}

/**
 * An autoscaling/v2 HPA on the Rollout scaling on CPU and on requests per second per pod (served by the
 * Prometheus adapter): CPU alone reacts late for an I/O-bound service, the request rate alone misses slow requests.
 */
export class ApiAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: ApiAutoscalerProps) {
    super(scope, id);
    const { workload } = props;
    const scaleDownStabilizationSeconds = props.scaleDownStabilizationSeconds ?? 300;
    if (scaleDownStabilizationSeconds < 0 || scaleDownStabilizationSeconds > 3600) {
      throw new Error('ApiAutoscaler: scaleDownStabilizationSeconds must be between 0 and 3600');
    }
    new ModelObject(this, 'Resource', {
      model: new HorizontalPodAutoscaler({
        metadata: { name: props.rolloutName, namespace: props.namespace },
        spec: {
          scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: props.rolloutName },
          minReplicas: workload.replicas.min,
          maxReplicas: workload.replicas.max,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: workload.targetCpuUtilizationPercent },
              },
            },
            {
              type: 'Pods',
              pods: {
                metric: { name: REQUESTS_PER_SECOND_METRIC },
                target: {
                  type: 'AverageValue',
                  averageValue: String(workload.targetRequestsPerSecondPerPod),
                },
              },
            },
          ],
          behavior: {
            // Up at once: double, or add four pods, every 15 s, whichever is more.
            scaleUp: {
              stabilizationWindowSeconds: 0,
              selectPolicy: 'Max',
              policies: [
                { type: 'Percent', value: 100, periodSeconds: 15 },
                { type: 'Pods', value: 4, periodSeconds: 15 },
              ],
            },
            // Down slowly: a traffic dip must last before capacity goes, then at most 10% a minute.
            scaleDown: {
              stabilizationWindowSeconds: scaleDownStabilizationSeconds,
              selectPolicy: 'Min',
              policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
            },
          },
        },
      }),
    });
  }
}
