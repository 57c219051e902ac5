import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Client } from 'pg';
import pino from 'pino';
import { parseRelayConfig } from '../../src/config';
import { startRelayWorker, type RelayWorker } from '../../src/outbox/relay-worker';
import { OUTBOX_LAG } from '../../src/outbox/outbox-lag';
import { OUTBOX_BATCH_FAILURES, OUTBOX_EVENTS_PUBLISHED } from '../../src/outbox/relay-metrics';
import { LIVENESS_PATH, METRICS_PATH, READINESS_PATH } from '../../src/probe-paths';
import { Fixtures } from '../helpers/fixtures';
import { startSqsEndpoint } from '../helpers/sqs-endpoint';
import { startTcpProxy, throughProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { createTestRedis } from '../helpers/test-redis';

let database: TestDatabase;
let fixtures: Fixtures;
let redis: Redis;
let proxy: TcpProxy;
let worker: RelayWorker;
let base: string;
let stream: string;

const silent = pino({ level: 'silent' });

function relayEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    RELAY_PORT: '0',
    DATABASE_URL: throughProxy(database.relayUrl, proxy),
    DATABASE_CONNECT_TIMEOUT_MS: '500',
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: redis.options.keyPrefix!,
    OUTBOX_STREAM: stream,
    OUTBOX_IDLE_DELAY_MS: '20',
    ...overrides,
  };
}

/** The value of an unlabelled series in a Prometheus text exposition. */
function sample(body: string, name: string): number | undefined {
  const match = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(body);
  return match ? Number(match[1]) : undefined;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const get = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  redis = createTestRedis();
  const url = new URL(database.url);
  proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
  stream = `events-${randomBytes(4).toString('hex')}`;
  worker = await startRelayWorker(parseRelayConfig(relayEnv()), silent);
  base = `http://127.0.0.1:${worker.healthPort}`;
});

afterAll(async () => {
  await worker.stop();
  await proxy.close();
  await redis.quit();
  await fixtures.close();
  await database.drop();
});

it('is live and ready while the database and the sink answer, and exports the lag and what it published', async () => {
  await fixtures.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT 'tenant-h', 'post.created', gen_random_uuid(), '{}'::jsonb FROM generate_series(1, 12)`,
  );
  await until(async () => (await redis.xlen(stream)) === 12);

  const live = await get(LIVENESS_PATH);
  const ready = await get(READINESS_PATH);
  const metrics = await get(METRICS_PATH);
  const body = await metrics.text();

  expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
  expect([ready.status, await ready.json()]).toEqual([
    200,
    { status: 'ok', checks: { database: 'ok', sink: 'ok' } },
  ]);
  expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(sample(body, OUTBOX_EVENTS_PUBLISHED)).toBe(12);
  expect(sample(body, OUTBOX_LAG)).toBe(0);
  expect(sample(body, OUTBOX_BATCH_FAILURES)).toBe(0);
  // The runtime defaults too: memory and event loop of the relay pod.
  expect(body).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
});

it('reports the lag of an event it cannot publish', async () => {
  // An event written two minutes ago that the relay cannot take: the test holds its row lock.
  await fixtures.query('DELETE FROM outbox');
  const holder = new Client({ connectionString: database.directUrl });
  await holder.connect();
  try {
    // The relay may take the row between its commit and the lock: then write another, until one is held.
    let held = 0;
    for (let attempt = 0; held === 0 && attempt < 50; attempt++) {
      await holder.query(
        `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload, created_at)
         VALUES ('tenant-h', 'post.created', gen_random_uuid(), '{}'::jsonb, now() - interval '120 seconds')`,
      );
      await holder.query('BEGIN');
      const locked = await holder.query('SELECT id FROM outbox WHERE published_at IS NULL FOR UPDATE');
      held = locked.rowCount ?? 0;
      if (held === 0) await holder.query('ROLLBACK');
    }
    expect(held).toBe(1);

    const lag = sample(await (await get(METRICS_PATH)).text(), OUTBOX_LAG);

    expect(lag).toBeGreaterThanOrEqual(120);
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
  await until(async () => sample(await (await get(METRICS_PATH)).text(), OUTBOX_LAG) === 0);
});

it('turns unready, naming the database, while PostgreSQL is unreachable; stays live; counts failed batches; recovers', async () => {
  proxy.cut();
  try {
    const ready = await get(READINESS_PATH);
    const live = await get(LIVENESS_PATH);

    expect([ready.status, await ready.json()]).toEqual([
      503,
      { status: 'unavailable', checks: { database: 'unreachable', sink: 'ok' } },
    ]);
    expect(live.status).toBe(200);
    await until(async () => (sample(await (await get(METRICS_PATH)).text(), OUTBOX_BATCH_FAILURES) ?? 0) > 0);
  } finally {
    proxy.restore();
  }
  await until(async () => (await get(READINESS_PATH)).status === 200);
});

it('turns unready, naming the sink, while Redis is unreachable', async () => {
  const cutOff = await startRelayWorker(
    parseRelayConfig(relayEnv({ REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: database.relayUrl })),
    silent,
  );
  try {
    const ready = await fetch(`http://127.0.0.1:${cutOff.healthPort}${READINESS_PATH}`);

    expect([ready.status, await ready.json()]).toEqual([
      503,
      { status: 'unavailable', checks: { database: 'ok', sink: 'unreachable' } },
    ]);
  } finally {
    await cutOff.stop();
  }
});

it('publishes to SQS when configured: readiness pings the queue, and no Redis connection is needed', async () => {
  const endpoint = await startSqsEndpoint();
  // The SDK's default credential chain reads these, as it reads the IRSA token in a pod.
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  const sqs = await startRelayWorker(
    parseRelayConfig(
      relayEnv({
        DATABASE_URL: database.relayUrl,
        REDIS_URL: 'redis://127.0.0.1:1',
        OUTBOX_SINK: 'sqs',
        OUTBOX_SQS_QUEUE_URL: endpoint.queueUrl,
        AWS_REGION: 'eu-west-1',
      }),
    ),
    silent,
  );
  try {
    const ready = await fetch(`http://127.0.0.1:${sqs.healthPort}${READINESS_PATH}`);
    expect([ready.status, await ready.json()]).toEqual([
      200,
      { status: 'ok', checks: { database: 'ok', sink: 'ok' } },
    ]);
    expect(endpoint.requests.map((request) => request.operation)).toContain('GetQueueAttributes');

    await endpoint.close();
    const gone = await fetch(`http://127.0.0.1:${sqs.healthPort}${READINESS_PATH}`);
    expect([gone.status, await gone.json()]).toEqual([
      503,
      { status: 'unavailable', checks: { database: 'ok', sink: 'unreachable' } },
    ]);
  } finally {
    await sqs.stop();
    await endpoint.close().catch(() => undefined);
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  }
});

it('answers other paths and methods with a machine-readable 404 and 405', async () => {
  const unknown = await get('/v1/posts');
  const post = await get(READINESS_PATH, { method: 'POST' });

  expect([unknown.status, await unknown.json()]).toEqual([
    404,
    { error: { code: 'not_found', message: 'no route /v1/posts' } },
  ]);
  expect(post.status).toBe(405);
  expect(post.headers.get('allow')).toBe('GET, HEAD');
  expect(((await post.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
});

it('closes its listener when stopped', async () => {
  const other = await startRelayWorker(
    parseRelayConfig(relayEnv({ DATABASE_URL: database.relayUrl })),
    silent,
  );
  const url = `http://127.0.0.1:${other.healthPort}${LIVENESS_PATH}`;
  expect((await fetch(url)).status).toBe(200);

  await other.stop();

  await expect(fetch(url)).rejects.toThrow();
});
