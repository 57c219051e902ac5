import { Redis } from 'ioredis';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres';
import { WORKLOAD_ROLES } from '../src/db/workload-roles';
import { startPgBouncer, type PgBouncer } from './helpers/pgbouncer';

/** The local PostgreSQL the test machines run (trust auth). */
const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const EMBEDDED_PORT = 54329;
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
/** Printed when Redis is missing: the suites need a real one, and the run fails rather than skipping them. */
const REDIS_HELP =
  'apt-get install -y redis-server && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no';

declare global {
  var embeddedPostgres: EmbeddedDatabase | undefined;
  var pgBouncer: PgBouncer | undefined;
}

/**
 * Finds the PostgreSQL the integration suites use: DATABASE_URL, else the local server, else an embedded one
 * started here. Suites read the answer from TEST_ADMIN_DATABASE_URL and create their own databases on it.
 * Starts a PgBouncer in front of it (TEST_PGBOUNCER_PORT), through which the `through-pgbouncer` project
 * runs the database and API suites once more.
 */
export default async function globalSetup(): Promise<void> {
  await requireRedis(process.env.REDIS_URL ?? LOCAL_REDIS_URL);
  const candidate = process.env.DATABASE_URL ?? LOCAL_POSTGRES_URL;
  if (await answers(candidate)) {
    process.env.TEST_ADMIN_DATABASE_URL = candidate;
  } else {
    process.stderr.write(`\nNo PostgreSQL at ${candidate}; starting an embedded PostgreSQL for the tests.\n`);
    globalThis.embeddedPostgres = await startEmbeddedPostgres(EMBEDDED_PORT);
    process.env.TEST_ADMIN_DATABASE_URL = globalThis.embeddedPostgres.adminUrl;
  }
  await prepareWorkloadRoles(process.env.TEST_ADMIN_DATABASE_URL);
  globalThis.pgBouncer = await startPgBouncer(
    process.env.TEST_ADMIN_DATABASE_URL,
    Object.values(WORKLOAD_ROLES),
  );
  process.env.TEST_PGBOUNCER_PORT = String(globalThis.pgBouncer.port);
}

async function requireRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    throw new Error(`The tests need Redis at ${url} and none answers. To get one:\n  ${REDIS_HELP}`);
  } finally {
    redis.disconnect();
  }
  process.env.TEST_REDIS_URL = url;
}

/**
 * Creates the workload roles once, before suites migrate in parallel (the migration creates them too, and leaves
 * an existing role alone). Where the server asks for a password (the embedded one), they get the superuser's.
 */
async function prepareWorkloadRoles(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const password = decodeURIComponent(new URL(adminUrl).password);
    for (const role of Object.values(WORKLOAD_ROLES)) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0)
        await client.query(
          `CREATE ROLE ${client.escapeIdentifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`,
        );
      if (password) {
        await client.query(
          `ALTER ROLE ${client.escapeIdentifier(role)} PASSWORD ${client.escapeLiteral(password)}`,
        );
      }
    }
  } finally {
    await client.end();
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
