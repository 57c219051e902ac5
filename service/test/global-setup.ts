import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres';

/** The local PostgreSQL the test machines run (trust auth). */
const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const EMBEDDED_PORT = 54329;

declare global {
  var embeddedPostgres: EmbeddedDatabase | undefined;
}

/**
 * Finds the PostgreSQL the integration suites use: DATABASE_URL, else the local server, else an embedded one
 * started here. Suites read the answer from TEST_ADMIN_DATABASE_URL and create their own databases on it.
 */
export default async function globalSetup(): Promise<void> {
  const candidate = process.env.DATABASE_URL ?? LOCAL_POSTGRES_URL;
  if (await answers(candidate)) {
    process.env.TEST_ADMIN_DATABASE_URL = candidate;
    return;
  }
  process.stderr.write(`\nNo PostgreSQL at ${candidate}; starting an embedded PostgreSQL for the tests.\n`);
  globalThis.embeddedPostgres = await startEmbeddedPostgres(EMBEDDED_PORT);
  process.env.TEST_ADMIN_DATABASE_URL = globalThis.embeddedPostgres.adminUrl;
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
