/**
 * The session settings the service relies on, which the database server applies to every new session: Aurora
 * through its cluster parameter group, the local and test servers through the database's own defaults.
 *
 * The pools never send them at connect time. RDS Proxy refuses a connection whose startup packet carries
 * `options` ("FATAL: Feature not supported: RDS Proxy currently doesn't support command-line options", as
 * reported in psycopg/psycopg2 issue 1577 and stac-utils/pgstac issue 156), and a transaction pooler such
 * as PgBouncer refuses any startup parameter it does not know (`statement_timeout` included) and cannot
 * keep a `SET` on one client. Settings applied by the server hold through any proxy.
 */
export function databaseSessionDefaults(statementTimeoutMs: number): Readonly<Record<string, string>> {
  return {
    // No statement may hold a connection longer; the pools give up one second after this (query_timeout).
    statement_timeout: String(statementTimeoutMs),
    timezone: 'UTC',
  };
}
