import { Pool } from 'pg';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../../src/config';
import { QueryCancelledError, runQuery } from '../../src/db/run-query';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new Pool({ connectionString: database.url, max: 3 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

it('cancels the query on the server when the signal aborts', async () => {
  const controller = new AbortController();
  const started = Date.now();

  const query = runQuery(pool, 'SELECT pg_sleep(20)', [], controller.signal);
  setTimeout(() => controller.abort(), 200);

  await expect(query).rejects.toBeInstanceOf(QueryCancelledError);
  // Well before the server's statement timeout would have ended it: the cancel reached the right session,
  // also through PgBouncer, whose process ids are its own and not the server's.
  expect(Date.now() - started).toBeLessThan(DEFAULT_STATEMENT_TIMEOUT_MS / 2);
  const { rows } = await pool.query(
    "SELECT count(*)::int AS running FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20)' AND state = 'active'",
  );
  expect(rows[0].running).toBe(0);
});

it('refuses to start when the signal has already aborted', async () => {
  await expect(runQuery(pool, 'SELECT 1', [], AbortSignal.abort())).rejects.toBeInstanceOf(
    QueryCancelledError,
  );
});

it('returns rows and releases the connection', async () => {
  const rows = await runQuery<{ answer: number }>(pool, 'SELECT $1::int AS answer', [42]);

  expect(rows).toEqual([{ answer: 42 }]);
  expect(pool.idleCount).toBe(pool.totalCount);
});
