import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { cancelBackend } from './cancel-backend';

/** Thrown when a query was cancelled because its caller went away (for example the client disconnected). */
export class QueryCancelledError extends Error {
  override readonly name = 'QueryCancelledError';
}

/**
 * Checks out one connection for `work` and cancels whatever it runs on the server when `signal` aborts,
 * so an abandoned request stops costing database time. `work` calls `discard` with the error that left
 * the connection in an unknown state; such a connection is destroyed rather than returned to the pool.
 */
export async function withConnection<T>(
  pool: Pool,
  signal: AbortSignal | undefined,
  work: (client: PoolClient, discard: (reason: Error) => void) => Promise<T>,
): Promise<T> {
  if (signal?.aborted) throw new QueryCancelledError('cancelled before it started');
  const client = await pool.connect();
  const cancel = () => cancelBackend(client);
  signal?.addEventListener('abort', cancel, { once: true });
  let unusable: Error | undefined;
  try {
    return await work(client, (reason) => (unusable = reason));
  } catch (error) {
    if (signal?.aborted) throw new QueryCancelledError('cancelled by its caller');
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancel);
    client.release(unusable);
  }
}

/** Runs one query on a pooled connection, cancelled on the server when `signal` aborts. */
export function runQuery<Row extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: readonly unknown[],
  signal?: AbortSignal,
): Promise<Row[]> {
  return withConnection(pool, signal, async (client, discard) => {
    try {
      return (await client.query<Row>(text, values as unknown[])).rows;
    } catch (error) {
      // A connection whose query timed out on the client side may still be busy: never reuse it.
      if ((error as Error).message === 'Query read timeout') discard(error as Error);
      throw error;
    }
  });
}
