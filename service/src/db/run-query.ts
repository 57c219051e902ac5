import type { Pool, QueryResultRow } from 'pg';
import { cancelBackend } from './cancel-backend';

/** Thrown when a query was cancelled because its caller went away (for example the client disconnected). */
export class QueryCancelledError extends Error {
  override readonly name = 'QueryCancelledError';
}

/**
 * Runs one query on a pooled connection and cancels it on the server when `signal` aborts,
 * so an abandoned request stops costing database time.
 */
export async function runQuery<Row extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: readonly unknown[],
  signal?: AbortSignal,
): Promise<Row[]> {
  if (signal?.aborted) throw new QueryCancelledError('query cancelled before it started');
  const client = await pool.connect();
  const cancel = () => cancelBackend(pool, client);
  signal?.addEventListener('abort', cancel, { once: true });
  let failed: Error | undefined;
  try {
    const result = await client.query<Row>(text, values as unknown[]);
    return result.rows;
  } catch (error) {
    failed = error as Error;
    if (signal?.aborted) throw new QueryCancelledError('query cancelled by its caller');
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancel);
    // A connection whose query timed out on the client side may still be busy: discard it rather than reuse it.
    client.release(failed !== undefined && isClientSideTimeout(failed) ? failed : undefined);
  }
}

function isClientSideTimeout(error: Error): boolean {
  return error.message === 'Query read timeout';
}
