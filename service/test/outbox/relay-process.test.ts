import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { createTestRedis } from '../helpers/test-redis';

const RELAY_ENTRY = path.resolve(__dirname, '..', '..', 'src', 'relay.ts');

let database: TestDatabase;
let fixtures: Fixtures;
let redis: Redis;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.url);
  redis = createTestRedis();
});

afterAll(async () => {
  await redis.quit();
  await fixtures.close();
  await database.drop();
});

it('runs as its own process: drains the outbox to the stream, and exits 0 on SIGTERM', async () => {
  const stream = `events-${randomBytes(4).toString('hex')}`;
  await fixtures.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT 'tenant-r', 'post.created', gen_random_uuid(), '{}'::jsonb FROM generate_series(1, 30)`,
  );
  const relay = spawn(process.execPath, ['--import', 'tsx', RELAY_ENTRY], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redis.options.keyPrefix,
      OUTBOX_STREAM: stream,
      OUTBOX_BATCH_SIZE: '7',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => relay.once('exit', resolve));

  const deadline = Date.now() + 15_000;
  while ((await redis.xlen(stream)) < 30 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  relay.kill('SIGTERM');

  expect(await redis.xlen(stream)).toBe(30);
  expect(await exited).toBe(0);
  const { rows } = await fixtures.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL',
  );
  expect(rows[0].count).toBe(0);
});
