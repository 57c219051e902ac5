import type { FastifyInstance } from 'fastify';
import { startAppBehindProxy, type AppBehindProxy } from '../helpers/app-behind-proxy';
import type { TcpProxy } from '../helpers/tcp-proxy';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-outage';
const BREAKER_RESET_MS = 1000;

let subject: AppBehindProxy;
let proxy: TcpProxy;
let app: FastifyInstance;
let headers: Record<string, string>;
let cachedPost: string;
let uncachedPosts: string[];

beforeAll(async () => {
  // The app reaches PostgreSQL only through the proxy, so the test can take the database away from it.
  subject = await startAppBehindProxy('database', {
    DATABASE_BREAKER_VOLUME_THRESHOLD: '3',
    DATABASE_BREAKER_RESET_MS: String(BREAKER_RESET_MS),
    DATABASE_CONNECT_TIMEOUT_MS: '500',
  });
  ({ app, proxy } = subject);
  const author = await subject.fixtures.user(TENANT);
  headers = bearer(signHs256(claims(TENANT, author)));
  [cachedPost, ...uncachedPosts] = await subject.fixtures.posts(TENANT, author, 12);
});

afterAll(async () => {
  await subject.close();
});

const get = (postId: string) => app.inject({ url: `/v1/posts/${postId}`, headers });
const metrics = async () => (await app.inject({ url: '/metrics' })).body;

it('keeps serving cached reads, and fails everything else fast with 503 + Retry-After, while the database is down', async () => {
  expect((await get(cachedPost)).statusCode).toBe(200);

  proxy.cut();
  const duringOutage = [];
  let slowest = 0;
  for (const postId of uncachedPosts.slice(0, 6)) {
    const started = Date.now();
    duringOutage.push(await get(postId));
    slowest = Math.max(slowest, Date.now() - started);
  }
  const readiness = await app.inject({ url: '/health/ready' });

  expect(new Set(duringOutage.map((response) => response.statusCode))).toEqual(new Set([503]));
  expect(duringOutage.every((response) => response.headers['retry-after'] !== undefined)).toBe(true);
  expect(duringOutage.at(-1)?.json().error.code).toBe('dependency_unavailable');
  // No request hangs: even before the breaker opens, each is bounded by the connect timeout (500 ms).
  expect(slowest).toBeLessThan(1500);
  expect(readiness.statusCode).toBe(503);
  expect(readiness.json()).toMatchObject({ status: 'unavailable', checks: { writer: 'unreachable' } });
  expect(await metrics()).toMatch(/circuit_breaker_state\{dependency="postgres"\} 2/);

  const started = Date.now();
  const write = await app.inject({
    method: 'POST',
    url: '/v1/posts',
    headers,
    payload: { title: 't', body: 'b' },
  });
  const cached = await get(cachedPost);

  expect(Date.now() - started).toBeLessThan(200);
  expect(write.statusCode).toBe(503);
  expect(write.headers['retry-after']).toBe(String(BREAKER_RESET_MS / 1000));
  expect(cached.statusCode).toBe(200);
  expect(await metrics()).toMatch(/circuit_breaker_rejections_total\{dependency="postgres"\} [1-9]/);
});

it('closes again, and is ready again, once the database is back and a trial call succeeds', async () => {
  proxy.restore();
  await new Promise((resolve) => setTimeout(resolve, BREAKER_RESET_MS + 100));

  const recovered = await get(uncachedPosts[10]);
  const next = await get(uncachedPosts[9]);

  expect([recovered.statusCode, next.statusCode]).toEqual([200, 200]);
  expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200);
  expect(await metrics()).toMatch(/circuit_breaker_state\{dependency="postgres"\} 0/);
});
