import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-cache';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let authorId: string;
let asAuthor: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url);
  authorId = await fixtures.user(TENANT, 'Author');
  asAuthor = bearer(signHs256(claims(TENANT, authorId)));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

/** Counts connections taken from a pool while `work` runs: one per query the service makes. */
async function queriesDuring(pool: 'reader' | 'writer', work: () => Promise<unknown>): Promise<number> {
  let acquired = 0;
  const count = () => acquired++;
  app.db[pool].on('acquire', count);
  try {
    await work();
  } finally {
    app.db[pool].off('acquire', count);
  }
  return acquired;
}

it('answers 500 concurrent requests for one cold post with exactly one database query', async () => {
  const [postId] = await fixtures.posts(TENANT, authorId, 1);
  let responses: { statusCode: number; body: string }[] = [];

  const queries = await queriesDuring('reader', async () => {
    responses = await Promise.all(
      Array.from({ length: 500 }, () => app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor })),
    );
  });

  expect(queries).toBe(1);
  expect(new Set(responses.map((response) => response.statusCode))).toEqual(new Set([200]));
  expect(new Set(responses.map((response) => response.body)).size).toBe(1);
});

it('serves a repeated read from the cache, and a Consistency: strong read from the writer', async () => {
  const [postId] = await fixtures.posts(TENANT, authorId, 1);
  await app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor });

  const cachedQueries = await queriesDuring('reader', () =>
    app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor }),
  );
  const strongQueries = await queriesDuring('writer', () =>
    app.inject({ url: `/v1/posts/${postId}`, headers: { ...asAuthor, consistency: 'strong' } }),
  );

  expect(cachedQueries).toBe(0);
  expect(strongQueries).toBe(1);
});

it('shows a post change on the next read', async () => {
  const [postId] = await fixtures.posts(TENANT, authorId, 1);
  await app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor });

  await app.inject({
    method: 'PATCH',
    url: `/v1/posts/${postId}`,
    headers: asAuthor,
    payload: { title: 'Changed' },
  });
  const after = await app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor });

  expect(after.json().title).toBe('Changed');
});

it('shows a deleted post as gone on the next read', async () => {
  const [postId] = await fixtures.posts(TENANT, authorId, 1);
  await app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor });

  await app.inject({ method: 'DELETE', url: `/v1/posts/${postId}`, headers: asAuthor });

  expect((await app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor })).statusCode).toBe(404);
});

it('refreshes the author embedded in cached posts when the author changes (tagged invalidation)', async () => {
  const writer = await fixtures.user(TENANT, 'Old Name');
  const asWriter = bearer(signHs256(claims(TENANT, writer)));
  const postIds = await fixtures.posts(TENANT, writer, 3);
  await Promise.all(postIds.map((id) => app.inject({ url: `/v1/posts/${id}`, headers: asWriter })));
  await app.inject({ url: `/v1/users/${writer}`, headers: asWriter });

  const rename = await app.inject({
    method: 'PATCH',
    url: `/v1/users/${writer}`,
    headers: asWriter,
    payload: { name: 'New Name' },
  });
  const posts = await Promise.all(
    postIds.map((id) => app.inject({ url: `/v1/posts/${id}`, headers: asWriter })),
  );
  const user = await app.inject({ url: `/v1/users/${writer}`, headers: asWriter });

  expect(rename.statusCode).toBe(200);
  expect(posts.map((post) => post.json().author.name)).toEqual(['New Name', 'New Name', 'New Name']);
  expect(user.json().name).toBe('New Name');
});

it('lets users change only themselves', async () => {
  const other = await fixtures.user(TENANT, 'Someone');

  const response = await app.inject({
    method: 'PATCH',
    url: `/v1/users/${other}`,
    headers: asAuthor,
    payload: { name: 'x' },
  });

  expect(response.statusCode).toBe(403);
});

it('keeps serving reads and writes from PostgreSQL when Redis is unreachable', async () => {
  const noRedis = await buildTestApp(database.url, { REDIS_URL: 'redis://127.0.0.1:1' });
  try {
    const [postId] = await fixtures.posts(TENANT, authorId, 1);

    const read = await noRedis.inject({ url: `/v1/posts/${postId}`, headers: asAuthor });
    const write = await noRedis.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: asAuthor,
      payload: { title: 't', body: 'b' },
    });
    const metrics = await noRedis.inject({ url: '/metrics' });

    expect(read.statusCode).toBe(200);
    expect(write.statusCode).toBe(201);
    expect(metrics.body).toMatch(/cache_redis_errors_total\{cache="post"\} [1-9]/);
  } finally {
    await noRedis.close();
  }
});
