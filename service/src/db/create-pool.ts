import { Pool } from 'pg';
import type { PoolConfig, ServiceConfig } from '../config';
import { databaseConnection } from './database-connection';
import { pgSslOptions } from './pg-ssl-options';

/**
 * Creates a pool with bounded connect/acquire time, a client-side bound on each query and the configured TLS.
 *
 * The startup packet carries nothing but the user and the database (node-postgres adds `client_encoding`):
 * no `options`, `statement_timeout` or `application_name`, which RDS Proxy or a transaction pooler refuse.
 * The statement timeout, the time zone and Aurora's write-forwarding consistency are the server's session
 * defaults instead (./session-defaults.ts; the cluster parameter group in infra/lib/aurora-global-database.ts).
 */
export function createPool(pool: PoolConfig, database: ServiceConfig['database']): Pool {
  const created = new Pool({
    ...databaseConnection(pool.connectionString, database.auth),
    max: pool.max,
    // Bounds both opening a connection and waiting for a free one when the pool is exhausted.
    connectionTimeoutMillis: database.connectTimeoutMs,
    idleTimeoutMillis: database.idleTimeoutMs,
    // The client gives up shortly after the server's statement_timeout should have ended the statement,
    // in case the server (or the proxy in front of it) is unreachable.
    query_timeout: database.statementTimeoutMs + 1000,
    ssl: pgSslOptions(database.tls),
  });
  // A connection that dies while checked out (failover, network cut) emits 'error' on its client, which the
  // pool only listens for while the client is idle: unheard, it would crash the process. The query in flight
  // rejects with the same error and its caller handles it, so here it only needs a listener.
  created.on('connect', (client) => client.on('error', () => {}));
  return created;
}
