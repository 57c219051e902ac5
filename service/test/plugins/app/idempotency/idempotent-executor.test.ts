import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../src/app';
import { requestFingerprint } from '../../../../src/plugins/app/idempotency/request-fingerprint';
import { testConfig } from '../../../helpers/build-test-app';
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
  app = await buildAppWithNestedRoute(database.url);
  asA = bearer(signHs256(claims('tenant-a', await fixtures.user('tenant-a'))));
  asB = bearer(signHs256(claims('tenant-b', await fixtures.user('tenant-b'))));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

/**
 * The real app plus a nested POST with a path parameter (creates a post authored by `:id`), the shape of a
 * route like `/v1/posts/:id/comments`: no shipped route with a path parameter takes a key yet.
 */
async function buildAppWithNestedRoute(databaseUrl: string): Promise<FastifyInstance> {
  const built = await buildApp(testConfig(databaseUrl));
  await built.register(async (scope) => {
    scope.addHook('onRequest', scope.authenticate);
    scope.post<{ Params: { id: string }; Body: { title: string; body: string } }>(
      '/v1/users/:id/posts',
      async (request, reply) =>
        scope.idempotency.respond(request, reply, async (tx) => {
          const author = { tenantId: request.principal.tenantId, userId: request.params.id };
          return { statusCode: 201, headers: {}, body: await scope.posts.create(tx, author, request.body) };
        }),
    );
  });
  await built.ready();
  return built;
}

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

it('answers 422 when the key is reused with the same body on another resource of a nested route', async () => {
  const key = randomUUID();
  const title = `nested-${key}`;
  const [ada, bob] = [await fixtures.user('tenant-a', 'Ada'), await fixtures.user('tenant-a', 'Bob')];
  const nested = (userId: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/users/${userId}/posts`,
      headers: { ...asA, 'idempotency-key': key },
      payload: { title, body: 'b' },
    });

  const first = await nested(ada);
  const retry = await nested(ada);
  const elsewhere = await nested(bob);

  expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
  expect(retry.headers['idempotent-replayed']).toBe('true');
  expect(elsewhere.statusCode).toBe(422);
  expect(elsewhere.json().error.code).toBe('idempotency_key_reused');
  expect(await postsTitled(title)).toBe(1);
});

it('scopes keys by user within a tenant: another user with the same key gets their own execution', async () => {
  const key = randomUUID();
  const title = `user-scoped-${key}`;
  const asOtherInA = bearer(signHs256(claims('tenant-a', await fixtures.user('tenant-a', 'Other'))));

  const byA = await post(asA, key, { title, body: 'b' });
  const byOther = await post(asOtherInA, key, { title, body: 'b' });
  const otherRetry = await post(asOtherInA, key, { title, body: 'b' });

  expect([byA.statusCode, byOther.statusCode]).toEqual([201, 201]);
  expect(byOther.headers['idempotent-replayed']).toBeUndefined();
  expect(byOther.json().id).not.toBe(byA.json().id);
  expect(byOther.json().author.id).not.toBe(byA.json().author.id);
  expect(otherRetry.headers['idempotent-replayed']).toBe('true');
  expect(otherRetry.json().id).toBe(byOther.json().id);
  expect(await postsTitled(title)).toBe(2);
});

it('replays a response stored before keys were scoped per user, so a retry across that deploy writes once', async () => {
  const key = randomUUID();
  const payload = { title: `before-${key}`, body: 'b' };
  const first = await post(asA, randomUUID(), payload);
  await fixtures.query(
    `INSERT INTO idempotency_keys (tenant_id, key, request_hash, status_code, response_headers, response_body)
     VALUES ('tenant-a', $1, $2, 201, $3, $4)`,
    [
      key,
      requestFingerprint('POST', '/v1/posts', {}, payload),
      { location: first.headers.location },
      first.body,
    ],
  );

  const retry = await post(asA, key, payload);

  expect(retry.headers['idempotent-replayed']).toBe('true');
  expect(retry.json()).toEqual(first.json());
  expect(await postsTitled(payload.title)).toBe(1);
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
  const stored = await fixtures.query('SELECT 1 FROM user_idempotency_keys WHERE key = $1', [key]);

  expect(failed.statusCode).toBe(422);
  expect(stored.rows).toHaveLength(0);
});

it('executes again once a key is older than 24 hours', async () => {
  const key = randomUUID();
  const title = `expired-${key}`;
  await post(asA, key, { title, body: 'b' });
  await fixtures.query(
    "UPDATE user_idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1",
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
