import { parseConfig } from '../../src/config';
import { createPool } from '../../src/db/create-pool';
import { throughPgBouncer } from '../helpers/pgbouncer';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const STATEMENT_TIMEOUT_MS = 1234;

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ statementTimeoutMs: STATEMENT_TIMEOUT_MS });
});

afterAll(async () => {
  await database.drop();
});

/** A pool made as the service makes its pools, for `url`. */
function servicePool(url: string) {
  const { database: settings } = parseConfig({
    DATABASE_URL: url,
    JWT_SECRET: 's'.repeat(32),
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
  });
  return createPool(settings.writer, settings);
}

// RDS Proxy refuses a startup packet with `options` ("RDS Proxy currently doesn't support command-line options",
// psycopg/psycopg2 issue 1577); PgBouncer in transaction mode, with no ignore_startup_parameters, refuses it and
// every other parameter it does not track (statement_timeout included), so it stands in for the proxy here.
it('connects through a transaction pooler that refuses startup options, as RDS Proxy does', async () => {
  const pool = servicePool(throughPgBouncer(database.directUrl, Number(process.env.TEST_PGBOUNCER_PORT)));
  try {
    const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(rows[0].one).toBe(1);
  } finally {
    await pool.end();
  }
});

it('gets its statement timeout and time zone from the server, not from the connection', async () => {
  const pool = servicePool(throughPgBouncer(database.directUrl, Number(process.env.TEST_PGBOUNCER_PORT)));
  try {
    const { rows } = await pool.query<{ timeout: string; zone: string }>(
      "SELECT current_setting('statement_timeout') AS timeout, current_setting('TimeZone') AS zone",
    );
    expect(rows[0]).toEqual({ timeout: `${STATEMENT_TIMEOUT_MS}ms`, zone: 'UTC' });
    await expect(pool.query(`SELECT pg_sleep(${(STATEMENT_TIMEOUT_MS * 2) / 1000})`)).rejects.toThrow(
      /statement timeout/,
    );
  } finally {
    await pool.end();
  }
});
