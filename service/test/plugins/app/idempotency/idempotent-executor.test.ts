import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../helpers/build-test-app';
import { Fixtures } from '../../../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database';
import { bearer, claims, signHs256 } from '../../../helpers/tokens';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let asA: Record<string, string>;
let asB: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url);
  asA = bearer(signHs256(claims('tenant-a', await fixtures.user('tenant-a'))));
  asB = bearer(signHs256(claims('tenant-b', await fixtures.user('tenant-b'))));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

const post = (headers: Record<string, string>, key: string | undefined, payload: object) =>
  app.inject({
    method: 'POST',
    url: '/v1/posts',
    headers: { ...headers, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    payload,
  });

async function postsTitled(title: string): Promise<number> {
  const { rows } = await fixtures.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM posts WHERE title = $1',
    [title],
  );
  return rows[0].count;
}

it('replays the first response for a retry with the same key and body, writing once', async () => {
  const key = randomUUID();
  const title = `once-${key}`;

  const first = await post(asA, key, { title, body: 'b' });
  const retry = await post(asA, key, { body: 'b', title });

  expect(first.statusCode).toBe(201);
  expect(retry.statusCode).toBe(201);
  expect(retry.json()).toEqual(first.json());
  expect(retry.headers.location).toBe(first.headers.location);
  expect(retry.headers['idempotent-replayed']).toBe('true');
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  expect(await postsTitled(title)).toBe(1);
  expect((await app.inject({ url: '/metrics' })).body).toMatch(
    /idempotency_replays_total\{route="\/v1\/posts"\} 1/,
  );
});

it('answers 422 when the key is reused for a different body', async () => {
  const key = randomUUID();
  await post(asA, key, { title: 'first', body: 'b' });

  const reuse = await post(asA, key, { title: 'second', body: 'b' });

  expect(reuse.statusCode).toBe(422);
  expect(reuse.json().error.code).toBe('idempotency_key_reused');
  expect(await postsTitled('second')).toBe(0);
});

it('scopes keys by tenant', async () => {
  const key = randomUUID();
  const title = `tenant-scoped-${key}`;

  const inA = await post(asA, key, { title, body: 'b' });
  const inB = await post(asB, key, { title, body: 'b' });

  expect(inB.statusCode).toBe(201);
  expect(inB.headers['idempotent-replayed']).toBeUndefined();
  expect(inB.json().id).not.toBe(inA.json().id);
});

it('lets one of many concurrent duplicates write, and the others replay it', async () => {
  const key = randomUUID();
  const title = `concurrent-${key}`;

  const responses = await Promise.all(Array.from({ length: 20 }, () => post(asA, key, { title, body: 'b' })));

  expect(new Set(responses.map((response) => response.statusCode))).toEqual(new Set([201]));
  expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
  expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
  expect(await postsTitled(title)).toBe(1);
});

it('keeps no key when the write fails, so a corrected retry can use it', async () => {
  const key = randomUUID();
  const stranger = bearer(signHs256(claims('tenant-a', randomUUID())));

  const failed = await post(stranger, key, { title: 'x', body: 'b' });
  const stored = await fixtures.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key]);

  expect(failed.statusCode).toBe(422);
  expect(stored.rows).toHaveLength(0);
});

it('executes again once a key is older than 24 hours', async () => {
  const key = randomUUID();
  const title = `expired-${key}`;
  await post(asA, key, { title, body: 'b' });
  await fixtures.query(
    "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1",
    [key],
  );

  const later = await post(asA, key, { title, body: 'b' });

  expect(later.headers['idempotent-replayed']).toBeUndefined();
  expect(await postsTitled(title)).toBe(2);
});

it('rejects a malformed key with 400', async () => {
  const tooLong = await post(asA, 'k'.repeat(256), { title: 't', body: 'b' });
  const withSpace = await post(asA, 'has space', { title: 't', body: 'b' });

  expect([tooLong.statusCode, withSpace.statusCode]).toEqual([400, 400]);
});

it('makes POST /v1/users idempotent too', async () => {
  const key = randomUUID();
  const payload = { email: `${key}@example.com`, name: 'Idem' };

  const first = await app.inject({
    method: 'POST',
    url: '/v1/users',
    headers: { ...asA, 'idempotency-key': key },
    payload,
  });
  const retry = await app.inject({
    method: 'POST',
    url: '/v1/users',
    headers: { ...asA, 'idempotency-key': key },
    payload,
  });

  expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
  expect(retry.json().id).toBe(first.json().id);
  expect(retry.headers['idempotent-replayed']).toBe('true');
});
