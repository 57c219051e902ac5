import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MAX_BATCH_SIZE } from '../../src/schemas/posts';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-batch';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let headers: Record<string, string>;
let authorId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url);
  authorId = await fixtures.user(TENANT, 'Batcher');
  headers = bearer(signHs256(claims(TENANT, authorId)));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

const items = (count: number, prefix = randomUUID()) =>
  Array.from({ length: count }, (_, i) => ({ title: `${prefix}-${i}`, body: `body ${i}` }));

const batch = (payload: object, extraHeaders: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/posts:batch', headers: { ...headers, ...extraHeaders }, payload });

async function countTitled(prefix: string): Promise<number> {
  const { rows } = await fixtures.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM posts WHERE title LIKE $1',
    [`${prefix}-%`],
  );
  return rows[0].count;
}

it(`creates ${MAX_BATCH_SIZE} posts in one transaction, with one result per item in request order`, async () => {
  const prefix = randomUUID();
  let acquired = 0;
  const count = () => acquired++;
  app.db.writer.on('acquire', count);

  const response = await batch({ items: items(MAX_BATCH_SIZE, prefix) });

  app.db.writer.off('acquire', count);
  expect(response.statusCode).toBe(201);
  const { results } = response.json();
  expect(results).toHaveLength(MAX_BATCH_SIZE);
  expect(results.map((result: { index: number }) => result.index)).toEqual([...Array(MAX_BATCH_SIZE).keys()]);
  expect(results.map((result: { post: { title: string } }) => result.post.title)).toEqual(
    items(MAX_BATCH_SIZE, prefix).map((item) => item.title),
  );
  expect(results[0]).toMatchObject({ status: 201, post: { author: { id: authorId, name: 'Batcher' } } });
  expect(acquired).toBe(1);
  expect(await countTitled(prefix)).toBe(MAX_BATCH_SIZE);
  const { rows } = await fixtures.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM outbox WHERE event_type = 'post.created' AND payload->>'title' LIKE $1",
    [`${prefix}-%`],
  );
  expect(rows[0].count).toBe(MAX_BATCH_SIZE);
});

it(`rejects ${MAX_BATCH_SIZE + 1} items and an empty batch with 400, writing nothing`, async () => {
  const prefix = randomUUID();

  const tooMany = await batch({ items: items(MAX_BATCH_SIZE + 1, prefix) });
  const empty = await batch({ items: [] });

  expect([tooMany.statusCode, empty.statusCode]).toEqual([400, 400]);
  expect(await countTitled(prefix)).toBe(0);
});

it('names the invalid item, and writes none of the valid ones', async () => {
  const prefix = randomUUID();
  const payload = items(5, prefix);
  payload[3] = { title: '', body: 'x' };

  const response = await batch({ items: payload });

  expect(response.statusCode).toBe(400);
  expect(response.json().error.message).toMatch(/items\/3\/title/);
  expect(await countTitled(prefix)).toBe(0);
});

it('is idempotent with an Idempotency-Key like any POST', async () => {
  const prefix = randomUUID();
  const key = randomUUID();

  const first = await batch({ items: items(3, prefix) }, { 'idempotency-key': key });
  const retry = await batch({ items: items(3, prefix) }, { 'idempotency-key': key });

  expect(retry.headers['idempotent-replayed']).toBe('true');
  expect(retry.json()).toEqual(first.json());
  expect(await countTitled(prefix)).toBe(3);
});
