// The SQS sink against a local endpoint speaking SQS's JSON protocol: no SQS runs here, and a mocked client would
// not show what goes over the wire. The real SDK signs and sends real HTTP requests; the outbox is real PostgreSQL.
import { Pool } from 'pg';
import type { OutboxEvent } from '../../src/outbox/outbox-event';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import { SqsPartialFailureError, SqsSink, sqsPublishBoundMs } from '../../src/outbox/sqs-event-sink';
import { Fixtures } from '../helpers/fixtures';
import { batchEntries, startSqsEndpoint, type SqsEndpoint } from '../helpers/sqs-endpoint';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const TENANT = 'tenant-sqs';
const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

let database: TestDatabase;
let fixtures: Fixtures;
let pool: Pool;
let endpoint: SqsEndpoint;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  pool = new Pool({ connectionString: database.relayUrl, max: 4 });
  endpoint = await startSqsEndpoint();
});

afterAll(async () => {
  await endpoint.close();
  await pool.end();
  await fixtures.close();
  await database.drop();
});

beforeEach(async () => {
  await fixtures.query('DELETE FROM outbox');
  endpoint.requests.length = 0;
  endpoint.reply = endpoint.accept;
});

const sink = (requestTimeoutMs = 2000) =>
  new SqsSink({
    queueUrl: endpoint.queueUrl,
    region: 'eu-west-1',
    requestTimeoutMs,
    credentials: CREDENTIALS,
  });

const relay = (batchSize = 50) => new OutboxRelay({ pool, sink: sink(), batchSize, idleDelayMs: 10 });

async function insertEvents(count: number, payload: unknown = { title: 't' }): Promise<void> {
  await fixtures.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT $1, 'post.created', gen_random_uuid(), $2::jsonb FROM generate_series(1, $3::int)`,
    [TENANT, JSON.stringify(payload), count],
  );
}

async function unpublished(): Promise<number> {
  const { rows } = await fixtures.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL',
  );
  return rows[0].count;
}

const sends = () => endpoint.requests.filter((request) => request.operation === 'SendMessageBatch');

const event = (id: number, payload: unknown): OutboxEvent => ({
  id: String(id),
  eventId: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
  tenantId: TENANT,
  type: 'post.created',
  aggregateId: '11111111-1111-4111-8111-111111111111',
  payload,
  occurredAt: '2026-01-01T00:00:00.000Z',
});

it('publishes a batch of 23 events as SendMessageBatch calls of 10, 10 and 3, in order, and marks them published', async () => {
  await insertEvents(23);

  const published = await relay().relayOnce();

  const { rows } = await fixtures.query<{ id: string; event_id: string }>(
    'SELECT id::text, event_id FROM outbox ORDER BY outbox.id',
  );
  expect(published).toBe(23);
  expect(sends().map((request) => batchEntries(request).length)).toEqual([10, 10, 3]);
  const entries = sends().flatMap(batchEntries);
  expect(entries.map((entry) => entry.Id)).toEqual(rows.map((row) => row.id));
  expect(entries.map((entry) => JSON.parse(entry.MessageBody).event_id)).toEqual(
    rows.map((row) => row.event_id),
  );
  expect(await unpublished()).toBe(0);
});

it('sends each event as JSON with its id, type and tenant as message attributes, signed, in the JSON protocol', async () => {
  await insertEvents(1, { title: 'hello', body: 'ünïcode' });

  await relay().relayOnce();

  const [request] = sends();
  const [entry] = batchEntries(request);
  const { rows } = await fixtures.query<{ event_id: string; aggregate_id: string }>(
    'SELECT event_id, aggregate_id::text FROM outbox',
  );
  expect(request.contentType).toBe('application/x-amz-json-1.0');
  expect(request.body.QueueUrl).toBe(endpoint.queueUrl);
  expect(request.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/sqs\//);
  expect(entry.Id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  expect(JSON.parse(entry.MessageBody)).toEqual({
    event_id: rows[0].event_id,
    type: 'post.created',
    tenant_id: TENANT,
    aggregate_id: rows[0].aggregate_id,
    occurred_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/),
    payload: { title: 'hello', body: 'ünïcode' },
  });
  expect(entry.MessageAttributes).toEqual({
    event_id: { DataType: 'String', StringValue: rows[0].event_id },
    type: { DataType: 'String', StringValue: 'post.created' },
    tenant_id: { DataType: 'String', StringValue: TENANT },
  });
});

it('keeps each SendMessageBatch under 256 KiB, splitting before the tenth entry when the bodies are large', async () => {
  // 100 KiB each: two fit in a batch, a third would not.
  const large = Array.from({ length: 5 }, (_, i) => event(i + 1, { body: 'x'.repeat(100 * 1024) }));

  await sink().publish(large);

  expect(sends().map((request) => batchEntries(request).length)).toEqual([2, 2, 1]);
  for (const request of sends()) {
    expect(Buffer.byteLength(JSON.stringify(request.body))).toBeLessThan(256 * 1024 + 2048);
  }
});

it('refuses an event larger than SQS accepts, before sending anything', async () => {
  await expect(sink().publish([event(1, { body: 'x'.repeat(300 * 1024) })])).rejects.toThrow(
    /event 1 is \d+ bytes, above SQS's limit of 262144/,
  );
  expect(sends()).toHaveLength(0);
});

it('throws when SQS refuses an entry, and the relay leaves the whole batch unpublished to retry it', async () => {
  await insertEvents(12);
  endpoint.reply = (request) => {
    const accepted = endpoint.accept(request);
    if (request.operation !== 'SendMessageBatch' || accepted === 'hang') return accepted;
    const [refused] = batchEntries(request);
    const body = accepted.body as { Successful: { Id: string }[] };
    return {
      status: 200,
      body: {
        Successful: body.Successful.filter((entry) => entry.Id !== refused.Id),
        Failed: [{ Id: refused.Id, Code: 'InternalError', SenderFault: false, Message: 'try again' }],
      },
    };
  };

  const error = await relay()
    .relayOnce()
    .catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(SqsPartialFailureError);
  expect((error as SqsPartialFailureError).failed).toEqual([
    { id: batchEntries(sends()[0])[0].Id, code: 'InternalError', senderFault: false },
  ]);
  // The first chunk failed: the second was never sent, and nothing is marked published.
  expect(sends()).toHaveLength(1);
  expect(await unpublished()).toBe(12);

  endpoint.reply = endpoint.accept;
  expect(await relay().relayOnce()).toBe(12);
  expect(await unpublished()).toBe(0);
});

it('throws after two retries when SQS answers 500, leaving the events unpublished', async () => {
  await insertEvents(3);
  endpoint.reply = () => ({
    status: 500,
    body: { __type: 'com.amazonaws.sqs#InternalError', message: 'boom' },
  });

  await expect(relay().relayOnce()).rejects.toThrow();

  // One attempt and two retries of the same request.
  expect(sends()).toHaveLength(3);
  expect(await unpublished()).toBe(3);
});

it('gives up on an endpoint that never answers within the request timeout and its two retries', async () => {
  endpoint.reply = () => 'hang';
  const started = Date.now();

  await expect(sink(200).publish([event(1, {})])).rejects.toThrow();

  const elapsed = Date.now() - started;
  expect(sends()).toHaveLength(3);
  // Three attempts of 200 ms plus the SDK's backoff between them (well under a second each).
  expect(elapsed).toBeGreaterThanOrEqual(600);
  expect(elapsed).toBeLessThan(5000);
});

it('bounds a whole batch by one deadline, however many chunks it has', async () => {
  // Each chunk answers within the request timeout, but 20 of them take longer than the batch's bound.
  endpoint.reply = (request) => {
    const accepted = endpoint.accept(request);
    return accepted === 'hang' ? accepted : { ...accepted, delayMs: 90 };
  };
  const events = Array.from({ length: 200 }, (_, i) => event(i + 1, {}));
  const started = Date.now();

  await expect(sink(100).publish(events)).rejects.toThrow();

  const elapsed = Date.now() - started;
  expect(elapsed).toBeGreaterThanOrEqual(sqsPublishBoundMs(100) - 50);
  expect(elapsed).toBeLessThan(sqsPublishBoundMs(100) + 500);
  expect(sends().length).toBeLessThan(20);
});

it('pings with GetQueueAttributes asking only for the queue ARN, and fails when the endpoint is gone', async () => {
  await sink().ping();

  expect(endpoint.requests).toEqual([
    expect.objectContaining({
      operation: 'GetQueueAttributes',
      body: { QueueUrl: endpoint.queueUrl, AttributeNames: ['QueueArn'] },
    }),
  ]);
  const gone = new SqsSink({
    queueUrl: 'http://127.0.0.1:1/000000000000/events',
    region: 'eu-west-1',
    requestTimeoutMs: 200,
    credentials: CREDENTIALS,
  });
  await expect(gone.ping()).rejects.toThrow();
});
