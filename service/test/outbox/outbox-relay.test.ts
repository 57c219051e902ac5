import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Pool } from 'pg';
import { RedisStreamSink, type EventSink } from '../../src/outbox/event-sink';
import type { OutboxEvent } from '../../src/outbox/outbox-event';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { createTestRedis } from '../helpers/test-redis';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-outbox';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let pool: Pool;
let redis: Redis;
let asAuthor: Record<string, string>;
let authorId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url);
  pool = new Pool({ connectionString: database.relayUrl, max: 4 });
  redis = createTestRedis();
  authorId = await fixtures.user(TENANT);
  asAuthor = bearer(signHs256(claims(TENANT, authorId)));
});

afterAll(async () => {
  await app.close();
  await pool.end();
  await redis.quit();
  await fixtures.close();
  await database.drop();
});

beforeEach(async () => {
  await fixtures.query('DELETE FROM outbox');
});

const newStream = () => `events-${randomBytes(4).toString('hex')}`;

async function streamEventIds(stream: string): Promise<string[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([, fields]) => fields[fields.indexOf('event_id') + 1]);
}

async function unpublished(): Promise<number> {
  const { rows } = await fixtures.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL',
  );
  return rows[0].count;
}

async function outboxLag(): Promise<number> {
  const body = (await app.inject({ url: '/metrics' })).body;
  return Number(/^outbox_oldest_unpublished_age_seconds ([\d.e+-]+)$/m.exec(body)?.[1]);
}

async function createPosts(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: asAuthor,
      payload: { title: `p${i}`, body: 'b' },
    });
  }
}

const relay = (sink: EventSink, batchSize = 50) =>
  new OutboxRelay({ pool, sink, batchSize, idleDelayMs: 10 });

it('records one event per committed change, in the same transaction, and none for a refused change', async () => {
  const created = (
    await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: asAuthor,
      payload: { title: 'a', body: 'b' },
    })
  ).json();
  await app.inject({
    method: 'PATCH',
    url: `/v1/posts/${created.id}`,
    headers: asAuthor,
    payload: { title: 'a2' },
  });
  const intruder = bearer(signHs256(claims(TENANT, await fixtures.user(TENANT))));
  const refused = await app.inject({
    method: 'PATCH',
    url: `/v1/posts/${created.id}`,
    headers: intruder,
    payload: { title: 'x' },
  });
  await app.inject({ method: 'DELETE', url: `/v1/posts/${created.id}`, headers: asAuthor });

  const { rows } = await fixtures.query<{ event_type: string; aggregate_id: string; title: string | null }>(
    "SELECT event_type, aggregate_id, payload->>'title' AS title FROM outbox ORDER BY id",
  );
  expect(refused.statusCode).toBe(403);
  expect(rows).toEqual([
    { event_type: 'post.created', aggregate_id: created.id, title: 'a' },
    { event_type: 'post.updated', aggregate_id: created.id, title: 'a2' },
    { event_type: 'post.deleted', aggregate_id: created.id, title: null },
  ]);
});

it('publishes pending events to the Redis stream and marks them published', async () => {
  await createPosts(3);
  const stream = newStream();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const lagBefore = await outboxLag();

  const published = await relay(new RedisStreamSink(redis, stream)).relayOnce();
  const again = await relay(new RedisStreamSink(redis, stream)).relayOnce();

  const entries = await redis.xrange(stream, '-', '+');
  expect([published, again]).toEqual([3, 0]);
  expect(entries).toHaveLength(3);
  const fields = Object.fromEntries(
    entries[0][1].reduce<[string, string][]>(
      (pairs, value, i, all) => (i % 2 ? pairs : [...pairs, [value, all[i + 1]]]),
      [],
    ),
  );
  expect(fields).toMatchObject({ type: 'post.created', tenant_id: TENANT });
  expect(JSON.parse(fields.payload).title).toBe('p0');
  expect(await unpublished()).toBe(0);
  expect(lagBefore).toBeGreaterThan(0);
  expect(await outboxLag()).toBe(0);
});

it('lets two relays share a backlog without publishing any event twice', async () => {
  await fixtures.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT $1, 'post.created', gen_random_uuid(), '{}'::jsonb FROM generate_series(1, 250)`,
    [TENANT],
  );
  const stream = newStream();
  const [one, two] = [
    relay(new RedisStreamSink(redis, stream), 20),
    relay(new RedisStreamSink(redis, stream), 20),
  ];

  one.start();
  two.start();
  const deadline = Date.now() + 10_000;
  while ((await unpublished()) > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await Promise.all([one.stop(), two.stop()]);

  const ids = await streamEventIds(stream);
  expect(ids).toHaveLength(250);
  expect(new Set(ids).size).toBe(250);
});

it('loses nothing when a relay dies mid-batch: the batch is published again (at least once, same event ids)', async () => {
  await createPosts(10);
  const stream = newStream();
  const healthy = new RedisStreamSink(redis, stream);
  // Publishes half of the batch, then the process "dies" before marking anything published.
  const dying: EventSink = {
    async publish(events: readonly OutboxEvent[]) {
      await healthy.publish(events.slice(0, 5));
      throw new Error('relay killed');
    },
    ping: () => healthy.ping(),
  };

  await expect(relay(dying).relayOnce()).rejects.toThrow('relay killed');
  expect(await unpublished()).toBe(10);
  await relay(healthy).relayOnce();

  const ids = await streamEventIds(stream);
  const { rows } = await fixtures.query<{ event_id: string }>('SELECT event_id FROM outbox');
  expect(new Set(ids)).toEqual(new Set(rows.map((row) => row.event_id)));
  expect(ids).toHaveLength(15);
  expect(await unpublished()).toBe(0);
});
