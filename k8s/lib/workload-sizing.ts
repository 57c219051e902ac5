// Numbers derived from the workload configuration, each in one function so the chart and its tests agree.
import type { WorkloadConfig } from '../../infra/config/platform-config';

/** Seconds Kubernetes waits after SIGTERM before SIGKILL beyond what the service itself needs. */
export const TERMINATION_MARGIN_SECONDS = 5;

/** Share of the memory limit given to the V8 old-space heap; the rest covers buffers, code and native memory. */
export const HEAP_SHARE_OF_MEMORY_LIMIT = 0.75;

/** Grace period that lets the service drain and finish in-flight requests before it is killed. */
export function terminationGracePeriodSeconds(workload: WorkloadConfig): number {
  const serviceNeedsMs = workload.shutdownDrainDelayMs + workload.shutdownTimeoutMs;
  return Math.ceil(serviceNeedsMs / 1000) + TERMINATION_MARGIN_SECONDS;
}

/**
 * Seconds the load balancer keeps a deregistered pod's in-flight requests: the time the service serves after
 * SIGTERM (drain delay, then in-flight requests up to its shutdown timeout), so the load balancer never cuts a
 * request the service would still finish, and never waits on a pod that is already gone.
 */
export function deregistrationDelaySeconds(workload: WorkloadConfig): number {
  return Math.ceil((workload.shutdownDrainDelayMs + workload.shutdownTimeoutMs) / 1000);
}

/** Parses a memory quantity in `Mi` or `Gi` into mebibytes; throws naming the value otherwise. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`memory quantity '${quantity}' must be in Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/** `--max-old-space-size` in MiB for a memory limit, so V8 collects garbage before the kernel kills the pod. */
export function maxOldSpaceSizeMb(memoryLimit: string): number {
  return Math.floor(mebibytes(memoryLimit) * HEAP_SHARE_OF_MEMORY_LIMIT);
}

/** The container image in the region's ECR registry, pinned to the configured tag. */
export function imageUri(account: string, region: string, workload: WorkloadConfig): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com/${workload.image.repositoryName}:${workload.image.tag}`;
}
