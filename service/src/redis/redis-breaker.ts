import { ReplyError } from 'ioredis';
import CircuitBreaker from 'opossum';
import type { BreakerConfig } from '../config';

/** A breaker whose action is "run this Redis command". */
export type RedisBreaker = CircuitBreaker<[() => Promise<unknown>], unknown>;

/**
 * Opens after half the Redis calls in the last 10 s failed (connection lost, command timed out), then fails
 * every call at once until a trial call succeeds. Each caller already has a fallback (the database for the
 * cache, a per-replica count for the rate limiter), so an open breaker means "take the fallback now"
 * instead of every request first waiting out the command timeout of a Redis that is gone.
 */
export function createRedisBreaker(options: BreakerConfig): RedisBreaker {
  return new CircuitBreaker((command: () => Promise<unknown>) => command(), {
    name: 'redis',
    // REDIS_COMMAND_TIMEOUT_MS already bounds every command.
    timeout: false,
    errorThresholdPercentage: 50,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    rollingCountTimeout: 10_000,
    rollingCountBuckets: 10,
    // An error reply (a wrong type, a script error) comes from a healthy server: it says nothing of health.
    errorFilter: (error: unknown) => error instanceof ReplyError,
  });
}

/** Runs `command` through `breaker` when there is one; an open breaker rejects at once. */
export function throughBreaker<T>(breaker: RedisBreaker | undefined, command: () => Promise<T>): Promise<T> {
  return breaker ? (breaker.fire(command) as Promise<T>) : command();
}
