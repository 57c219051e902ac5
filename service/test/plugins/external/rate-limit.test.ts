import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/build-test-app';
import { Fixtures } from '../../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database';
import { bearer, claims, signHs256 } from '../../helpers/tokens';

const LIMIT = 5;

let database: TestDatabase;
let fixtures: Fixtures;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await fixtures.close();
  await database.drop();
});

/** A replica of the service; replicas built with the same prefix share one Redis key space, as in production. */
async function replica(env: Record<string, string> = {}) {
  const app = await buildTestApp(database.url, {
    RATE_LIMIT_MAX: String(LIMIT),
    RATE_LIMIT_WINDOW_MS: '60000',
    ...env,
  });
  apps.push(app);
  return app;
}

async function tenantToken(tenantId: string) {
  return bearer(signHs256(claims(tenantId, await fixtures.user(tenantId))));
}

it('counts per tenant, says so on every response, and answers 429 with Retry-After past the limit', async () => {
  const app = await replica();
  const headers = await tenantToken('tenant-limited');

  const allowed = [];
  for (let i = 0; i < LIMIT; i++) allowed.push(await app.inject({ url: '/v1/posts', headers }));
  const refused = await app.inject({ url: '/v1/posts', headers });

  expect(allowed.map((response) => response.statusCode)).toEqual(Array(LIMIT).fill(200));
  expect(allowed.map((response) => response.headers['x-ratelimit-remaining'])).toEqual([
    '4',
    '3',
    '2',
    '1',
    '0',
  ]);
  expect(allowed[0].headers['x-ratelimit-limit']).toBe(String(LIMIT));
  expect(Number(allowed[0].headers['x-ratelimit-reset'])).toBeGreaterThan(0);
  expect(refused.statusCode).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(refused.json().error.code).toBe('rate_limited');
  expect((await app.inject({ url: '/metrics' })).body).toMatch(/rate_limit_rejections_total 1/);
});

it('leaves other tenants their own budget', async () => {
  const app = await replica();
  const noisy = await tenantToken('tenant-noisy');
  const quiet = await tenantToken('tenant-quiet');
  for (let i = 0; i <= LIMIT; i++) await app.inject({ url: '/v1/posts', headers: noisy });

  const response = await app.inject({ url: '/v1/posts', headers: quiet });

  expect(response.statusCode).toBe(200);
});

it('shares one budget between replicas through Redis', async () => {
  const prefix = `shared:${randomBytes(4).toString('hex')}:`;
  const [one, two] = [
    await replica({ REDIS_KEY_PREFIX: prefix }),
    await replica({ REDIS_KEY_PREFIX: prefix }),
  ];
  const headers = await tenantToken('tenant-shared');

  const statuses = [];
  for (let i = 0; i <= LIMIT; i++)
    statuses.push((await (i % 2 ? two : one).inject({ url: '/v1/posts', headers })).statusCode);

  expect(statuses).toEqual([...Array(LIMIT).fill(200), 429]);
});

it('never limits the probes', async () => {
  const app = await replica();

  const responses = await Promise.all(
    Array.from({ length: LIMIT * 3 }, () => app.inject({ url: '/health/live' })),
  );

  expect(new Set(responses.map((response) => response.statusCode))).toEqual(new Set([200]));
  expect(responses[0].headers['x-ratelimit-limit']).toBeUndefined();
});

it('falls back to a per-replica limit when Redis is unreachable, and reports it', async () => {
  const app = await replica({ REDIS_URL: 'redis://127.0.0.1:1' });
  const headers = await tenantToken('tenant-no-redis');

  const statuses = [];
  for (let i = 0; i <= LIMIT; i++)
    statuses.push((await app.inject({ url: '/v1/posts', headers })).statusCode);

  expect(statuses).toEqual([...Array(LIMIT).fill(200), 429]);
  expect((await app.inject({ url: '/metrics' })).body).toMatch(
    /rate_limit_requests_total\{store="local"\} 6/,
  );
});
