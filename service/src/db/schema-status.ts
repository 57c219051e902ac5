import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ClientBase } from 'pg';
import { MIGRATIONS_DIR, MIGRATIONS_TABLE } from './migrate';

/** Names of the migrations in `migrationsDir` that the database has not recorded as applied, oldest first. */
export async function pendingMigrations(
  client: ClientBase,
  migrationsDir: string = MIGRATIONS_DIR,
): Promise<string[]> {
  // node-pg-migrate records each migration by its file name without the extension.
  const shipped = readdirSync(migrationsDir)
    .filter((file) => /\.(sql|js|cjs|ts)$/.test(file))
    .map((file) => path.basename(file, path.extname(file)))
    .sort();
  const { rows: tables } = await client.query<{ table: string | null }>(
    'SELECT to_regclass($1)::text AS table',
    [MIGRATIONS_TABLE],
  );
  if (tables[0].table === null) return shipped;
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
  const applied = new Set(rows.map((row) => row.name));
  return shipped.filter((name) => !applied.has(name));
}

/**
 * Whether the database behind `client` cannot take DDL here: a replica in recovery (an Aurora reader, or a
 * global database's secondary cluster, whose write forwarding does not carry DDL) or a read-only database.
 * The migration runs only where this is false, so it follows whichever region writes today.
 */
export async function isReadOnly(client: ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ read_only: boolean }>(
    "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS read_only",
  );
  return rows[0].read_only;
}
