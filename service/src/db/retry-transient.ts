import { isDatabaseUnavailable } from './database-breaker';

/** At most this many retries after the first attempt. */
const MAX_RETRIES = 2;
const BASE_DELAY_MS = 20;

/**
 * Retries an idempotent call (a read) when it failed for a transient availability reason, at most twice,
 * after a jittered delay so that a fleet of replicas does not retry in lock-step. Never used for writes.
 */
export async function retryTransient<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= MAX_RETRIES || signal?.aborted || !isRetryable(error)) throw error;
      const delay = BASE_DELAY_MS * 2 ** attempt * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Timeouts are not retried: a slow database gets slower under retries. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return isDatabaseUnavailable(error) && code !== '57014' && !/timeout/i.test((error as Error).message ?? '');
}
