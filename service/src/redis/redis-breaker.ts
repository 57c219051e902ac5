import { ReplyError } from 'ioredis';
import type { BreakerConfig } from '../config';
import { createDependencyBreaker, type DependencyBreaker } from '../resilience/dependency-breaker';

/** The `dependency` label of this breaker's `circuit_breaker_state` series, which the alert selects. */
export const REDIS_BREAKER_DEPENDENCY = 'redis';

/** A breaker whose action is "run this Redis command". */
export type RedisBreaker = DependencyBreaker;

/**
 * Opens when Redis calls keep failing (connection lost, command timed out), by the policy of
 * `createDependencyBreaker`. Each caller already has a fallback (the database for the cache, a per-replica
 * count for the rate limiter), so an open breaker means "take the fallback now" instead of every request
 * first waiting out the command timeout of a Redis that is gone.
 */
export function createRedisBreaker(options: BreakerConfig): RedisBreaker {
  // An error reply (a wrong type, a script error) comes from a healthy server: it says nothing of health.
  return createDependencyBreaker(REDIS_BREAKER_DEPENDENCY, options, (error) => error instanceof ReplyError);
}

/** Runs `command` through `breaker` when there is one; an open breaker rejects at once. */
export function throughBreaker<T>(breaker: RedisBreaker | undefined, command: () => Promise<T>): Promise<T> {
  return breaker ? (breaker.fire(command) as Promise<T>) : command();
}
