import { Client } from 'pg';
import type { DatabaseAuthConfig, DatabaseTlsConfig } from '../config';
import { databaseConnection } from './database-connection';
import { MIGRATIONS_DIR, migrateUp, type MigrationLogger } from './migrate';
import { pgSslOptions } from './pg-ssl-options';
import { isReadOnly, pendingMigrations } from './schema-status';

/** The argument of `migrate.js` that waits for the schema instead of migrating (the pods' init container). */
export const WAIT_FOR_SCHEMA_ARG = '--wait-for-schema';

/** What the migration step of a release did in one region. */
export type MigrationOutcome =
  { readonly kind: 'applied'; readonly names: readonly string[] } | { readonly kind: 'read-only' };

/** Thrown when a release's migrations did not reach the database in time. */
export class SchemaWaitTimeoutError extends Error {
  override readonly name = 'SchemaWaitTimeoutError';
}

/** Where and how to reach the database, and where the release's migrations are. */
export interface SchemaTarget {
  readonly databaseUrl: string;
  readonly tls: DatabaseTlsConfig;
  /** @default - the password in the URL */
  readonly auth?: DatabaseAuthConfig;
  /** @default MIGRATIONS_DIR */
  readonly migrationsDir?: string;
}

/**
 * Applies the pending migrations where the database takes DDL, and does nothing where it is a replica: every
 * region runs the same Job, and only the region that writes today migrates; the others get the schema by
 * replication. DDL cannot be forwarded from an Aurora global secondary ("Using write forwarding in an Aurora
 * PostgreSQL global database", Aurora User Guide).
 */
export async function migrateWhereWritable(
  target: SchemaTarget,
  logger: MigrationLogger,
): Promise<MigrationOutcome> {
  const readOnly = await withClient(target, (client) => isReadOnly(client));
  if (readOnly) return { kind: 'read-only' };
  const names = await migrateUp(target.databaseUrl, logger, target.migrationsDir, target.tls, target.auth);
  return { kind: 'applied', names };
}

/**
 * Waits until the database has every migration this build ships, so new pods never run against an older
 * schema: in the writer region until the Job has migrated, elsewhere until replication has brought it.
 * Connection failures are retried until the deadline; then it throws naming what is still missing.
 */
export async function waitForSchema(
  target: SchemaTarget,
  options: { readonly timeoutMs: number; readonly intervalMs?: number },
  onPending: (names: readonly string[]) => void = () => {},
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let pending: readonly string[] | undefined;
  let lastError: Error | undefined;
  for (;;) {
    try {
      pending = await withClient(target, (client) =>
        pendingMigrations(client, target.migrationsDir ?? MIGRATIONS_DIR),
      );
      lastError = undefined;
      if (pending.length === 0) return;
      onPending(pending);
    } catch (error) {
      lastError = error as Error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 2000));
  }
  throw new SchemaWaitTimeoutError(
    lastError
      ? `the database did not answer within ${options.timeoutMs} ms: ${lastError.message}`
      : `migrations still pending after ${options.timeoutMs} ms: ${pending?.join(', ')}`,
  );
}

async function withClient<T>(target: SchemaTarget, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    ...databaseConnection(target.databaseUrl, target.auth ?? { kind: 'password' }),
    ssl: pgSslOptions(target.tls),
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}
