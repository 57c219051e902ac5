import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BATCH_SPAN, PUBLISH_SPAN } from '../../src/outbox/outbox-relay';
import { LIVENESS_PATH, READINESS_PATH } from '../../src/probe-paths';
import { Fixtures } from '../helpers/fixtures';
import { startOtlpReceiver } from '../helpers/otlp-receiver';
import { startRelayProcess } from '../helpers/relay-process';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { createTestRedis } from '../helpers/test-redis';

let database: TestDatabase;
let fixtures: Fixtures;
let redis: Redis;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  redis = createTestRedis();
});

afterAll(async () => {
  await redis.quit();
  await fixtures.close();
  await database.drop();
});

it('runs as its own process: drains the outbox to the stream, answers its probes, and on SIGTERM closes its listener and exits 0', async () => {
  const stream = `events-${randomBytes(4).toString('hex')}`;
  await fixtures.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT 'tenant-r', 'post.created', gen_random_uuid(), '{}'::jsonb FROM generate_series(1, 30)`,
  );
  const relay = await startRelayProcess({
    DATABASE_URL: database.relayUrl,
    REDIS_URL: process.env.TEST_REDIS_URL!,
    REDIS_KEY_PREFIX: redis.options.keyPrefix!,
    OUTBOX_STREAM: stream,
    OUTBOX_BATCH_SIZE: '7',
  });

  const deadline = Date.now() + 15_000;
  while ((await redis.xlen(stream)) < 30 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const live = await fetch(`${relay.healthUrl}${LIVENESS_PATH}`);
  const ready = await fetch(`${relay.healthUrl}${READINESS_PATH}`);
  relay.child.kill('SIGTERM');

  expect(await redis.xlen(stream)).toBe(30);
  expect(live.status).toBe(200);
  expect([ready.status, await ready.json()]).toEqual([
    200,
    { status: 'ok', checks: { database: 'ok', sink: 'ok' } },
  ]);
  expect(await relay.exited).toBe(0);
  await expect(fetch(`${relay.healthUrl}${LIVENESS_PATH}`)).rejects.toThrow();
  const { rows } = await fixtures.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL',
  );
  expect(rows[0].count).toBe(0);
});

it('traces each batch like the API traces a request: exported over OTLP when configured, queries inside', async () => {
  await fixtures.query('DELETE FROM outbox');
  const receiver = await startOtlpReceiver();
  const stream = `events-${randomBytes(4).toString('hex')}`;
  await fixtures.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT 'tenant-r', 'post.created', gen_random_uuid(), '{}'::jsonb FROM generate_series(1, 5)`,
  );
  const relay = await startRelayProcess({
    DATABASE_URL: database.relayUrl,
    REDIS_URL: process.env.TEST_REDIS_URL!,
    REDIS_KEY_PREFIX: redis.options.keyPrefix!,
    OUTBOX_STREAM: stream,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_SERVICE_NAME: 'api-relay',
  });
  try {
    const deadline = Date.now() + 15_000;
    while ((await redis.xlen(stream)) < 5 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    // Shutdown flushes the spans to the collector before the process exits.
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);

    const batches = receiver.spans.filter((span) => span.name === BATCH_SPAN);
    expect(batches).toHaveLength(1);
    expect(batches[0].attributes).toMatchObject({ 'outbox.batch.size': 5, 'outbox.batch.published': 5 });
    const inTrace = receiver.spans.filter((span) => span.traceId === batches[0].traceId);
    const scopes = new Set(inTrace.map((span) => span.scope));
    expect(scopes).toContain('@opentelemetry/instrumentation-pg');
    expect(scopes).toContain('@opentelemetry/instrumentation-ioredis');
    expect(inTrace.map((span) => span.name)).toContain(PUBLISH_SPAN);
    // The idle polls after the batch made no trace of their own.
    expect(new Set(receiver.spans.map((span) => span.traceId)).size).toBe(1);
  } finally {
    if (relay.child.exitCode === null) relay.child.kill('SIGTERM');
    await relay.exited;
    await receiver.close();
  }
});
