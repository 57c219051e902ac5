import { existsSync } from 'node:fs';
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { DatabaseAuthConfig, DatabaseTlsConfig } from '../config';
import { databaseConnection } from './database-connection';
import { pgSslOptions } from './pg-ssl-options';

/** Where the versioned SQL migrations live: beside the bundle in the image, or in `service/migrations` in the repo. */
export const MIGRATIONS_DIR = [
  path.resolve(__dirname, 'migrations'),
  path.resolve(__dirname, '..', '..', 'migrations'),
].find((candidate) => existsSync(candidate)) as string;

/** Table in which node-pg-migrate records the migrations it applied. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** Minimal logger the migration runner reports to. */
export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Applies every pending migration to the database at `databaseUrl`, signing in as the pools do
 * (./database-connection.ts); safe to run on every deploy.
 */
export async function migrateUp(
  databaseUrl: string,
  logger: MigrationLogger,
  migrationsDir: string = MIGRATIONS_DIR,
  tls: DatabaseTlsConfig = { mode: 'disable' },
  auth: DatabaseAuthConfig = { kind: 'password' },
): Promise<string[]> {
  const applied = await runner({
    // node-pg-migrate hands this object to pg.Client as it is.
    databaseUrl: { ...databaseConnection(databaseUrl, auth), ssl: pgSslOptions(tls) },
    dir: migrationsDir,
    direction: 'up',
    migrationsTable: MIGRATIONS_TABLE,
    // Serialises concurrent runs (several pods starting at once) on a PostgreSQL advisory lock.
    noLock: false,
    logger,
    verbose: false,
  });
  return applied.map((migration) => migration.name);
}
