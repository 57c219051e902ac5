import type { BreakerConfig } from '../config';
import { HttpError } from '../http-error';
import { createDependencyBreaker, type DependencyBreaker } from '../resilience/dependency-breaker';
import { QueryCancelledError } from './run-query';

/** Settings of the database circuit breaker. */
export type DatabaseBreakerOptions = BreakerConfig;

/** A breaker whose action is "run this database call". */
export type DatabaseBreaker = DependencyBreaker;

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
  // Only availability failures count; a unique violation or a cancelled request says nothing of health.
  return createDependencyBreaker('postgres', options, (error) => !isDatabaseUnavailable(error));
}

/** The error an open breaker is answered with. */
export function databaseUnavailable(resetTimeoutMs: number): HttpError {
  return new HttpError(503, 'dependency_unavailable', 'the database is unavailable; retry shortly', {
    'retry-after': String(Math.max(1, Math.ceil(resetTimeoutMs / 1000))),
  });
}
