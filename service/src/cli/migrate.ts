import { ConfigError, loadMigrationConfig } from '../config';
import { migrateUp } from '../db/migrate';

/** Applies pending migrations to DATABASE_URL (with DATABASE_SSL_MODE) and exits: run once per deploy, before the new pods take traffic. */
async function main(): Promise<void> {
  const { databaseUrl, tls } = loadMigrationConfig();
  const applied = await migrateUp(databaseUrl, console, undefined, tls);
  process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'database is up to date\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
