import { Pool } from 'pg';
import type { PoolConfig, ServiceConfig } from '../config';
import { pgSslOptions } from './pg-ssl-options';

/** Which Aurora endpoint a pool talks to. */
export type PoolRole = 'writer' | 'reader';

/** Creates a pool with bounded connect/acquire time, a server-side statement timeout, UTC sessions and the configured TLS. */
export function createPool(role: PoolRole, pool: PoolConfig, database: ServiceConfig['database']): Pool {
  const sessionSettings = ['-c timezone=UTC'];
  // In a secondary region the writer endpoint is a local replica that forwards writes to the primary;
  // the session's consistency mode decides whether it waits to read its own forwarded writes.
  if (role === 'writer' && database.writeForwarding !== 'off') {
    sessionSettings.push(`-c apg_write_forward.consistency_mode=${database.writeForwarding}`);
  }
  const created = new Pool({
    connectionString: pool.connectionString,
    max: pool.max,
    // Bounds both opening a connection and waiting for a free one when the pool is exhausted.
    connectionTimeoutMillis: database.connectTimeoutMs,
    idleTimeoutMillis: database.idleTimeoutMs,
    statement_timeout: database.statementTimeoutMs,
    // The client gives up shortly after the server should have cancelled, in case the server is unreachable.
    query_timeout: database.statementTimeoutMs + 1000,
    application_name: `api-${role}`,
    options: sessionSettings.join(' '),
    ssl: pgSslOptions(database.tls),
  });
  // A connection that dies while checked out (failover, network cut) emits 'error' on its client, which the
  // pool only listens for while the client is idle: unheard, it would crash the process. The query in flight
  // rejects with the same error and its caller handles it, so here it only needs a listener.
  created.on('connect', (client) => client.on('error', () => {}));
  return created;
}
