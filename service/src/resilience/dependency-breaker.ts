import CircuitBreaker from 'opossum';
import type { BreakerConfig } from '../config';

/** A breaker whose action is "run this call to the dependency". */
export type DependencyBreaker = CircuitBreaker<[() => Promise<unknown>], unknown>;

/**
 * The one breaker policy of the service: opens after half the calls in the last 10 s failed (once
 * `volumeThreshold` calls were seen), stays open `resetTimeoutMs`, then lets one trial call through.
 * Calls carry their own timeouts (statement, connect, command), so the breaker adds none.
 * No latency percentiles and no snapshots: nothing reads them, and opossum would otherwise keep every call's
 * latency for the whole window, then concatenate and sort them for each snapshot (once a second) and on
 * each failure, which at a few thousand calls a second cost more CPU than the calls it guards.
 */
export function createDependencyBreaker(
  name: string,
  settings: BreakerConfig,
  /** True for an error that says nothing of the dependency's health (it is then not counted). */
  isHealthyFailure: (error: unknown) => boolean,
): DependencyBreaker {
  return new CircuitBreaker((call: () => Promise<unknown>) => call(), {
    name,
    timeout: false,
    errorThresholdPercentage: 50,
    volumeThreshold: settings.volumeThreshold,
    resetTimeout: settings.resetTimeoutMs,
    rollingCountTimeout: 10_000,
    rollingCountBuckets: 10,
    errorFilter: isHealthyFailure,
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
}
