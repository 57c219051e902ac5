/** When a step of the capacity ramp counts as broken. */
export interface BreakingLimits {
  /** The p99 latency a step may not exceed, in ms (the GET latency SLO threshold). */
  readonly maxP99Ms: number;
  /** The share of failed requests a step may not exceed, for example 0.001. */
  readonly maxErrorRatio: number;
  /** The share of the offered rate a step must achieve; below it the service is saturated. */
  readonly minAchievedShare: number;
}

/** What one step of the ramp offered and measured. */
export interface StepResult {
  /** Connections kept busy (closed loop: each sends its next request when the last one is answered). */
  readonly connections: number;
  /** Requests/s offered in an open-loop step; 0 in a closed-loop step, which has no saturation check. */
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly errors: number;
  /** CPU cores the service process used during the step (CPU seconds / wall seconds). */
  readonly serviceCores: number;
}

/** Why a step broke the limits, or `undefined` when it held. */
export function breakingReason(step: StepResult, limits: BreakingLimits): string | undefined {
  const errorRatio = step.requests === 0 ? 1 : step.errors / step.requests;
  if (errorRatio > limits.maxErrorRatio) {
    return `errors ${(errorRatio * 100).toFixed(2)}% > ${(limits.maxErrorRatio * 100).toFixed(2)}%`;
  }
  if (step.p99Ms > limits.maxP99Ms) return `p99 ${step.p99Ms.toFixed(1)} ms > ${limits.maxP99Ms} ms`;
  if (step.targetRate > 0 && step.achievedRate < step.targetRate * limits.minAchievedShare) {
    return `saturated: ${Math.round(step.achievedRate)} of ${step.targetRate} req/s offered`;
  }
  return undefined;
}

/** The rates of the ramp: `start`, then `factor` times more each step, to two significant digits, up to `max`. */
export function rampRates(start: number, factor: number, max: number): number[] {
  if (!(start > 0) || !(factor > 1)) throw new Error('rampRates: start must be > 0 and factor > 1');
  const rates: number[] = [];
  for (let rate = start; rate <= max; rate *= factor) {
    const rounded = Number(rate.toPrecision(2));
    if (rounded !== rates[rates.length - 1]) rates.push(rounded);
  }
  return rates;
}

/** The last step before the first broken one (the breaking point), or `undefined` if the first step broke. */
export function lastHealthyStep(
  steps: readonly StepResult[],
  limits: BreakingLimits,
): StepResult | undefined {
  let healthy: StepResult | undefined;
  for (const step of steps) {
    if (breakingReason(step, limits) !== undefined) break;
    healthy = step;
  }
  return healthy;
}
