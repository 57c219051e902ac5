import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-slow';
const STATEMENT_TIMEOUT_MS = 300;
const WRITER_POOL_MAX = 3;

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let headers: Record<string, string>;
let postIds: string[];

beforeAll(async () => {
  // The server's statement_timeout, as the cluster parameter group sets it in AWS.
  database = await createTestDatabase({ statementTimeoutMs: STATEMENT_TIMEOUT_MS });
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url, {
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    DATABASE_WRITER_POOL_MAX: String(WRITER_POOL_MAX),
    // This test is about one slow statement, not an outage: keep the breaker out of it.
    DATABASE_BREAKER_VOLUME_THRESHOLD: '1000',
  });
  const authorId = await fixtures.user(TENANT);
  headers = bearer(signHs256(claims(TENANT, authorId)));
  postIds = await fixtures.posts(TENANT, authorId, 20);
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

const patch = (postId: string, title: string) =>
  app.inject({ method: 'PATCH', url: `/v1/posts/${postId}`, headers, payload: { title } });

it('answers 503 + Retry-After within the budget when statements run past statement_timeout, and the pool recovers', async () => {
  // A transaction holding the row lock makes every update of that row wait, past the statement timeout.
  const locker = new Client({ connectionString: database.url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('SELECT id FROM posts WHERE id = $1 FOR UPDATE', [postIds[0]]);
  let slow;
  const started = Date.now();
  try {
    // Twice the pool: the second half also waits for a connection, then times out in its turn.
    slow = await Promise.all(
      Array.from({ length: WRITER_POOL_MAX * 2 }, (_, i) => patch(postIds[0], `slow ${i}`)),
    );
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
  const elapsed = Date.now() - started;

  expect(new Set(slow.map((response) => response.statusCode))).toEqual(new Set([503]));
  expect(slow.every((response) => response.headers['retry-after'] === '1')).toBe(true);
  // Two waves of one statement timeout each, far below the 10 s request timeout.
  expect(elapsed).toBeLessThan(STATEMENT_TIMEOUT_MS * 2 + 1500);

  // No connection leaked or left busy: a burst larger than the pool is served in full.
  const burst = await Promise.all([
    ...postIds.slice(1, 11).map((postId, i) => patch(postId, `after ${i}`)),
    ...postIds.slice(11).map((postId) => app.inject({ url: `/v1/posts/${postId}`, headers })),
  ]);
  expect(new Set(burst.map((response) => response.statusCode))).toEqual(new Set([200]));
  expect(app.db.writer.totalCount).toBeLessThanOrEqual(WRITER_POOL_MAX);
  expect(app.db.writer.waitingCount).toBe(0);
  const { rows } = await fixtures.query<{ title: string }>('SELECT title FROM posts WHERE id = $1', [
    postIds[0],
  ]);
  expect(rows[0].title).toBe('post 1');
});
