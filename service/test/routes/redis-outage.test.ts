import type { FastifyInstance } from 'fastify';
import { startAppBehindProxy, type AppBehindProxy } from '../helpers/app-behind-proxy';
import type { TcpProxy } from '../helpers/tcp-proxy';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-redis-outage';
const BREAKER_RESET_MS = 500;

let subject: AppBehindProxy;
let proxy: TcpProxy;
let app: FastifyInstance;
let headers: Record<string, string>;
let authorId: string;
let postIds: string[];

beforeAll(async () => {
  // The app reaches Redis only through the proxy, so the test can take Redis away from it and give it back.
  subject = await startAppBehindProxy('redis', {
    REDIS_BREAKER_VOLUME_THRESHOLD: '3',
    REDIS_BREAKER_RESET_MS: String(BREAKER_RESET_MS),
    // No in-process level: every read asks Redis, so the test sees each Redis hit or miss.
    CACHE_MEMORY_TTL_MS: '0',
  });
  ({ app, proxy } = subject);
  authorId = await subject.fixtures.user(TENANT);
  headers = bearer(signHs256(claims(TENANT, authorId)));
  postIds = await subject.fixtures.posts(TENANT, authorId, 30);
});

afterAll(async () => {
  await subject.close();
});

const get = (postId: string) => app.inject({ url: `/v1/posts/${postId}`, headers });

/** The value of one sample of the app's metrics, 0 when absent. */
async function metric(name: string, labels: string): Promise<number> {
  const body = (await app.inject({ url: '/metrics' })).body;
  const line = body.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
const redisHits = () => metric('cache_lookups_total', 'cache="post",level="redis",result="hit"');

it('serves every read from PostgreSQL while Redis is cut, with the breaker open and the limiter counting locally', async () => {
  expect((await get(postIds[0])).statusCode).toBe(200);
  const hitsBefore = await redisHits();
  expect((await get(postIds[0])).statusCode).toBe(200);
  expect(await redisHits()).toBe(hitsBefore + 1);

  proxy.cut();
  const duringOutage = [];
  for (const postId of postIds.slice(0, 20)) duringOutage.push(await get(postId));
  const write = await app.inject({
    method: 'PATCH',
    url: `/v1/posts/${postIds[1]}`,
    headers,
    payload: { title: 'written while Redis is down' },
  });

  expect(new Set(duringOutage.map((response) => response.statusCode))).toEqual(new Set([200]));
  expect(write.statusCode).toBe(200);
  expect(await metric('circuit_breaker_state', 'dependency="redis"')).toBe(2);
  expect(await metric('circuit_breaker_rejections_total', 'dependency="redis"')).toBeGreaterThan(0);
  expect(await metric('rate_limit_requests_total', 'store="local"')).toBeGreaterThan(0);
  // Fail fast: with the breaker open a read does not wait on Redis at all.
  const started = Date.now();
  for (const postId of postIds.slice(20, 30)) expect((await get(postId)).statusCode).toBe(200);
  expect(Date.now() - started).toBeLessThan(1000);
});

it('uses Redis again once it is back, with no restart', async () => {
  proxy.restore();
  const hitsBefore = await redisHits();

  // The client reconnects in the background and the breaker lets a trial call through after its reset time.
  const deadline = Date.now() + 10_000;
  while ((await redisHits()) === hitsBefore && Date.now() < deadline) {
    expect((await get(postIds[5])).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  expect(await redisHits()).toBeGreaterThan(hitsBefore);
  expect(await metric('circuit_breaker_state', 'dependency="redis"')).toBe(0);
  const counted = await metric('rate_limit_requests_total', 'store="redis"');
  await get(postIds[6]);
  expect(await metric('rate_limit_requests_total', 'store="redis"')).toBe(counted + 1);
});
