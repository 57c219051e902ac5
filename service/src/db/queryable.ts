import type { Pool, QueryResultRow } from 'pg';
import { cancelBackend } from './cancel-backend';
import { QueryCancelledError } from './run-query';

/** Somewhere SQL can be sent: the pool (each statement on its own checkout) or one open transaction. */
export interface Queryable {
  query<Row extends QueryResultRow>(text: string, values: readonly unknown[]): Promise<Row[]>;
}

/**
 * Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws.
 * An abort of `signal` cancels the statement running at that moment, which rolls the transaction back.
 */
export async function withTransaction<T>(
  pool: Pool,
  signal: AbortSignal | undefined,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  if (signal?.aborted) throw new QueryCancelledError('transaction cancelled before it started');
  const client = await pool.connect();
  const cancel = () => cancelBackend(pool, client);
  signal?.addEventListener('abort', cancel, { once: true });
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work({
      query: async (text, values) => (await client.query(text, values as unknown[])).rows,
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    if (signal?.aborted) throw new QueryCancelledError('transaction cancelled by its caller');
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancel);
    // A connection that could not even roll back is in an unknown state: destroy it.
    client.release(broken);
  }
}
