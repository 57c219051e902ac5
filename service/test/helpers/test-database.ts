import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../../src/config';
import { applySessionDefaults } from '../../src/db/apply-session-defaults';
import { migrateUp } from '../../src/db/migrate';
import { databaseSessionDefaults } from '../../src/db/session-defaults';
import { WORKLOAD_ROLES } from '../../src/db/workload-roles';
import { throughPgBouncer } from './pgbouncer';

/** A database of its own for one test file, migrated to the latest schema. */
export interface TestDatabase {
  /**
   * Where the API connects, as its own least-privileged role (`api_service`): the server itself, or PgBouncer in
   * front of it in the `through-pgbouncer` project. Fixtures use it too: they do what the API could do.
   */
  readonly url: string;
  /** The same, as the outbox relay's role (`outbox_relay`). */
  readonly relayUrl: string;
  /** The server itself as its superuser, for what only the migration Job or an operator does. */
  readonly directUrl: string;
  drop(): Promise<void>;
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /**
   * The server's `statement_timeout` for the database's sessions, as Aurora's cluster parameter group sets it.
   * @default DEFAULT_STATEMENT_TIMEOUT_MS
   */
  readonly statementTimeoutMs?: number;
  /**
   * Whether to apply the migrations.
   * @default true
   */
  readonly migrate?: boolean;
}

const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Whether this jest project runs the service through PgBouncer (set by the project's setup file). */
export function routedThroughPgBouncer(): boolean {
  return process.env.TEST_DATABASE_ROUTE === 'pgbouncer';
}

/**
 * Creates and migrates a fresh database on the server the global set-up chose, so test files can run in
 * parallel, with the session defaults the service expects from the server (./session-defaults.ts).
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  if (!adminUrl)
    throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global set-up)');
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const direct = new URL(adminUrl);
  direct.pathname = `/${name}`;
  const directUrl = direct.toString();
  await withClient(directUrl, (client) =>
    applySessionDefaults(
      client,
      databaseSessionDefaults(options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS),
    ),
  );
  // Migrations take a session-level advisory lock: like the migration job, they connect to the server itself.
  if (options.migrate ?? true) await migrateUp(directUrl, silentLogger);
  const serviceUrl = routedThroughPgBouncer() ? throughPgBouncer(directUrl, pgBouncerPort()) : directUrl;
  return {
    url: asRole(serviceUrl, WORKLOAD_ROLES.api),
    relayUrl: asRole(serviceUrl, WORKLOAD_ROLES.relay),
    directUrl,
    drop: async () => {
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** `url` signed in as `role`, with the password the global set-up gave the workload roles where the server asks one. */
export function asRole(url: string, role: string): string {
  const withRole = new URL(url);
  withRole.username = role;
  return withRole.toString();
}

function pgBouncerPort(): number {
  const port = Number(process.env.TEST_PGBOUNCER_PORT);
  if (!port) throw new Error('TEST_PGBOUNCER_PORT is not set: run the tests through jest (global set-up)');
  return port;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
