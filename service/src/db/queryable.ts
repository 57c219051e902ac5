import type { Pool, QueryResultRow } from 'pg';
import { withConnection } from './run-query';

/** Somewhere SQL can be sent: the pool (each statement on its own checkout) or one open transaction. */
export interface Queryable {
  query<Row extends QueryResultRow>(text: string, values: readonly unknown[]): Promise<Row[]>;
}

/**
 * Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws.
 * An abort of `signal` cancels the statement running at that moment, which rolls the transaction back.
 */
export function withTransaction<T>(
  pool: Pool,
  signal: AbortSignal | undefined,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return withConnection(pool, signal, async (client, discard) => {
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async (text, values) => (await client.query(text, values as unknown[])).rows,
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is in an unknown state.
      await client.query('ROLLBACK').catch((rollbackError: Error) => discard(rollbackError));
      throw error;
    }
  });
}
