import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import { Pool } from 'pg';
import { RedisStreamSink, type EventSink } from '../../src/outbox/event-sink';
import { BATCH_SPAN, OutboxRelay, PUBLISH_SPAN } from '../../src/outbox/outbox-relay';
import { logTraceFields } from '../../src/telemetry/log-trace-fields';
import { startTracing, type Tracing } from '../../src/telemetry/tracing';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { createTestRedis } from '../helpers/test-redis';

let database: TestDatabase;
let fixtures: Fixtures;
let pool: Pool;
let redis: Redis;
let exporter: InMemorySpanExporter;
let tracing: Tracing;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  exporter = new InMemorySpanExporter();
  // As the relay's entry point starts it: queries are traced only inside a batch.
  tracing = startTracing({
    tracing: { enabled: true, serviceName: 'api-relay', sampleRatio: 1 },
    exporter,
    queriesNeedParentSpan: true,
  });
  pool = new Pool({ connectionString: database.relayUrl, max: 2 });
  redis = createTestRedis();
});

afterAll(async () => {
  await pool.end();
  await redis.quit();
  await tracing.shutdown();
  await fixtures.close();
  await database.drop();
});

beforeEach(async () => {
  await fixtures.query('DELETE FROM outbox');
  exporter.reset();
});

async function insertEvents(count: number): Promise<void> {
  await fixtures.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT 'tenant-trace', 'post.created', gen_random_uuid(), '{}'::jsonb FROM generate_series(1, $1::int)`,
    [count],
  );
}

const scope = (span: ReadableSpan) => span.instrumentationScope.name;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const stream = () => new RedisStreamSink(redis, `events-${randomBytes(4).toString('hex')}`);

it('makes one span per batch, with the publish, its Redis commands and the UPDATE inside it', async () => {
  await insertEvents(3);
  const relay = new OutboxRelay({ pool, sink: stream(), batchSize: 50, idleDelayMs: 10 });

  expect(await relay.relayOnce()).toBe(3);

  const spans = exporter.getFinishedSpans();
  const batches = spans.filter((span) => span.name === BATCH_SPAN);
  expect(batches).toHaveLength(1);
  const [batch] = batches;
  expect(batch.attributes).toMatchObject({
    'outbox.batch.limit': 50,
    'outbox.batch.size': 3,
    'outbox.batch.published': 3,
  });
  expect(parentOf(batch)).toBeUndefined();
  const publish = spans.find((span) => span.name === PUBLISH_SPAN)!;
  expect(parentOf(publish)).toBe(batch.spanContext().spanId);
  expect(publish.attributes['messaging.batch.message_count']).toBe(3);
  const redisSpans = spans.filter((span) => scope(span) === '@opentelemetry/instrumentation-ioredis');
  expect(redisSpans.length).toBeGreaterThan(0);
  for (const span of redisSpans) expect(parentOf(span)).toBe(publish.spanContext().spanId);
  const queries = spans.filter((span) => scope(span) === '@opentelemetry/instrumentation-pg');
  expect(
    queries.some((span) =>
      /UPDATE outbox/.test(String(span.attributes['db.statement'] ?? span.attributes['db.query.text'])),
    ),
  ).toBe(true);
  for (const span of [...queries, publish]) {
    expect(span.spanContext().traceId).toBe(batch.spanContext().traceId);
  }
});

it('traces nothing for an empty poll', async () => {
  const relay = new OutboxRelay({ pool, sink: stream(), batchSize: 50, idleDelayMs: 10 });

  expect(await relay.relayOnce()).toBe(0);

  expect(exporter.getFinishedSpans()).toEqual([]);
});

it('marks a failed batch as an error and reports the failure inside its trace, for the log line', async () => {
  await insertEvents(2);
  const failing: EventSink = {
    publish: async () => {
      throw new Error('sink down');
    },
    ping: async () => undefined,
  };
  const reported: Record<string, string>[] = [];
  const relay = new OutboxRelay({
    pool,
    sink: failing,
    batchSize: 50,
    idleDelayMs: 10,
    onError: () => reported.push(logTraceFields()),
  });

  relay.start();
  const deadline = Date.now() + 5000;
  while (reported.length === 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  await relay.stop();

  const batch = exporter.getFinishedSpans().find((span) => span.name === BATCH_SPAN)!;
  const publish = exporter.getFinishedSpans().find((span) => span.name === PUBLISH_SPAN)!;
  expect(batch.status.code).toBe(SpanStatusCode.ERROR);
  expect(batch.attributes['outbox.batch.published']).toBe(0);
  expect(publish.status).toEqual({ code: SpanStatusCode.ERROR, message: 'sink down' });
  expect(reported[0].trace_id).toBe(batch.spanContext().traceId);
  expect(reported[0].span_id).toBe(batch.spanContext().spanId);
});
