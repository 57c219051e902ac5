import CircuitBreaker from 'opossum';
import { HttpError } from '../http-error';
import { QueryCancelledError } from './run-query';

/** Settings of the database circuit breaker. */
export interface DatabaseBreakerOptions {
  /** Failures out of this many calls (in a 10 s window) before the breaker may open. */
  readonly volumeThreshold: number;
  /** How long the breaker stays open before letting one trial call through. */
  readonly resetTimeoutMs: number;
}

/** A breaker whose action is "run this database call". */
export type DatabaseBreaker = CircuitBreaker<[() => Promise<unknown>], unknown>;

/** SQLSTATE classes that mean the database is unreachable, restarting or out of resources. */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]|57014)/;
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);

/** Whether an error says the database is unavailable (as opposed to a bad request or a constraint). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof HttpError || error instanceof QueryCancelledError) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || CONNECTION_ERRORS.has(code)))
    return true;
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout/i.test(
    (error as Error).message ?? '',
  );
}

/**
 * Opens after half the calls in the last 10 s failed for availability reasons, then fails every call at
 * once (503 with Retry-After) until a trial call succeeds: a database that is down is not hammered by
 * every request's connection attempt, and clients hear "retry later" in microseconds rather than seconds.
 */
export function createDatabaseBreaker(options: DatabaseBreakerOptions): DatabaseBreaker {
  return new CircuitBreaker((call: () => Promise<unknown>) => call(), {
    name: 'postgres',
    // Statement and connect timeouts already bound every call.
    timeout: false,
    errorThresholdPercentage: 50,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    rollingCountTimeout: 10_000,
    rollingCountBuckets: 10,
    // Only availability failures count; a unique violation or a cancelled request says nothing of health.
    errorFilter: (error: unknown) => !isDatabaseUnavailable(error),
  });
}

/** The error an open breaker is answered with. */
export function databaseUnavailable(resetTimeoutMs: number): HttpError {
  return new HttpError(503, 'dependency_unavailable', 'the database is unavailable; retry shortly', {
    'retry-after': String(Math.max(1, Math.ceil(resetTimeoutMs / 1000))),
  });
}
