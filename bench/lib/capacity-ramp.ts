import type { Request } from 'autocannon';
import type { ChildServer } from './child-server';
import { runLoad } from './load-runner';
import { breakingReason, rampRates, type BreakingLimits, type StepResult } from './stepped-load';

/** A stepped load: the rate grows step by step until a step breaks the limits. */
export interface CapacityRampProps {
  readonly service: ChildServer;
  readonly headers: Readonly<Record<string, string>>;
  readonly requests: Request[];
  readonly connections: number;
  readonly stepSeconds: number;
  readonly startRate: number;
  readonly factor: number;
  readonly limits: BreakingLimits;
  /** Highest rate offered. @default 200000 */
  readonly maxRate?: number;
}

/** Every step run, and why the last one broke (undefined when even the highest rate held). */
export interface CapacityRun {
  readonly steps: readonly StepResult[];
  readonly stopReason: string | undefined;
}

/** Runs the ramp, measuring the service's CPU use per step; stops at the first step that breaks the limits. */
export async function runCapacityRamp(props: CapacityRampProps): Promise<CapacityRun> {
  const steps: StepResult[] = [];
  for (const targetRate of rampRates(props.startRate, props.factor, props.maxRate ?? 200_000)) {
    const cpuBefore = props.service.cpuSeconds();
    const started = performance.now();
    const measured = await runLoad({
      url: `${props.service.baseUrl}/`,
      connections: props.connections,
      durationSeconds: props.stepSeconds,
      headers: props.headers,
      requests: props.requests,
      overallRate: targetRate,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const step: StepResult = {
      targetRate,
      achievedRate: measured.requestsPerSecond,
      p99Ms: measured.latency.p99,
      requests: measured.requests,
      errors: measured.errors,
      serviceCores: (props.service.cpuSeconds() - cpuBefore) / wallSeconds,
    };
    steps.push(step);
    const reason = breakingReason(step, props.limits);
    process.stdout.write(
      `  step ${targetRate} req/s: ${Math.round(step.achievedRate)} achieved, p99 ${step.p99Ms.toFixed(1)} ms, ` +
        `${step.errors} errors, ${step.serviceCores.toFixed(2)} cores${reason ? ` -> ${reason}` : ''}\n`,
    );
    if (reason) return { steps, stopReason: reason };
  }
  return { steps, stopReason: undefined };
}
