import type { Request } from 'autocannon';
import type { ChildServer } from './child-server';
import { runLoad } from './load-runner';
import { breakingReason, rampRates, type BreakingLimits, type StepResult } from './stepped-load';

/**
 * A stepped load: the concurrency grows by `factor` each step (closed loop), so the request rate climbs until
 * a step breaks the limits. Closed loop because autocannon's rate limit releases each second's requests in one
 * burst, which measures the burst's queue rather than the service.
 */
export interface CapacityRampProps {
  readonly service: ChildServer;
  readonly headers: Readonly<Record<string, string>>;
  readonly requests: Request[];
  readonly stepSeconds: number;
  /** Connections of the first step. */
  readonly startConnections: number;
  readonly factor: number;
  readonly limits: BreakingLimits;
  /** Most connections tried. @default 2048 */
  readonly maxConnections?: number;
}

/** Every step run, and why the last one broke (undefined when even the highest rate held). */
export interface CapacityRun {
  readonly steps: readonly StepResult[];
  readonly stopReason: string | undefined;
}

/** Runs the ramp, measuring the service's CPU use per step; stops at the first step that breaks the limits. */
export async function runCapacityRamp(props: CapacityRampProps): Promise<CapacityRun> {
  const steps: StepResult[] = [];
  for (const connections of rampRates(props.startConnections, props.factor, props.maxConnections ?? 2048)) {
    const cpuBefore = props.service.cpuSeconds();
    const started = performance.now();
    const measured = await runLoad({
      url: `${props.service.baseUrl}/`,
      connections,
      durationSeconds: props.stepSeconds,
      headers: props.headers,
      requests: props.requests,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const step: StepResult = {
      connections,
      targetRate: 0,
      achievedRate: measured.requestsPerSecond,
      p99Ms: measured.latency.p99,
      requests: measured.requests,
      errors: measured.errors,
      serviceCores: (props.service.cpuSeconds() - cpuBefore) / wallSeconds,
    };
    steps.push(step);
    const reason = breakingReason(step, props.limits);
    process.stdout.write(
      `  step ${connections} connections: ${Math.round(step.achievedRate)} req/s, p99 ${step.p99Ms.toFixed(1)} ms, ` +
        `${step.errors} errors, ${step.serviceCores.toFixed(2)} cores${reason ? ` -> ${reason}` : ''}\n`,
    );
    if (reason) return { steps, stopReason: reason };
  }
  return { steps, stopReason: undefined };
}
