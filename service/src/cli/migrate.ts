import { ConfigError, loadMigrationConfig } from '../config';
import {
  migrateWhereWritable,
  SchemaWaitTimeoutError,
  WAIT_FOR_SCHEMA_ARG,
  waitForSchema,
} from '../db/release-schema';

const USAGE = `usage: migrate.js [${WAIT_FOR_SCHEMA_ARG}]`;

/**
 * The release's schema step, one image for every region. `migrate.js` (the migration Job): applies pending
 * migrations where the database takes DDL, says so and does nothing on a replica. `migrate.js --wait-for-schema`
 * (the pods' init container): waits until the database has every migration of this build.
 */
async function main(args: readonly string[]): Promise<void> {
  const config = loadMigrationConfig();
  const target = { databaseUrl: config.databaseUrl, tls: config.tls, auth: config.auth };
  if (args.length === 0) {
    const outcome = await migrateWhereWritable(target, console);
    process.stdout.write(
      outcome.kind === 'read-only'
        ? 'this database is a replica: the region that writes migrates, replication brings the schema here\n'
        : outcome.names.length
          ? `applied ${outcome.names.join(', ')}\n`
          : 'database is up to date\n',
    );
    return;
  }
  if (args.length === 1 && args[0] === WAIT_FOR_SCHEMA_ARG) {
    await waitForSchema(target, { timeoutMs: config.schemaWaitTimeoutMs }, (pending) =>
      process.stdout.write(`waiting for migrations: ${pending.join(', ')}\n`),
    );
    process.stdout.write('schema is up to date\n');
    return;
  }
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof SchemaWaitTimeoutError;
  process.stderr.write(`${known ? (error as Error).message : (error as Error).stack}\n`);
  process.exit(1);
});
