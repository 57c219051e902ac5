import type { Pool, PoolClient } from 'pg';

/** Asks the server to cancel whatever `client` is running, from another connection. */
export function cancelBackend(pool: Pool, client: PoolClient): void {
  const processId = (client as PoolClient & { processID?: number }).processID;
  if (processId === undefined) return;
  pool.query('SELECT pg_cancel_backend($1)', [processId]).catch(() => {
    // Best effort: the statement timeout still bounds the query if the cancel cannot be sent.
  });
}
