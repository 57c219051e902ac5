import type { Redis } from 'ioredis';
import { createRedisBreaker } from '../../src/redis/redis-breaker';
import { createTestRedis, createUnreachableRedis } from '../helpers/test-redis';

const clients: Redis[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});

const settings = { volumeThreshold: 3, resetTimeoutMs: 60_000 };

it('opens after connection failures, then rejects at once without calling Redis', async () => {
  const down = createUnreachableRedis();
  clients.push(down);
  const breaker = createRedisBreaker(settings);
  let calls = 0;
  const get = () =>
    breaker.fire(() => {
      calls++;
      return down.get('k');
    });

  for (let i = 0; i < 4; i++) await expect(get()).rejects.toThrow();
  const callsWhenOpen = calls;
  await expect(get()).rejects.toMatchObject({ code: 'EOPENBREAKER' });

  expect(breaker.opened).toBe(true);
  expect(calls).toBe(callsWhenOpen);
  breaker.shutdown();
});

it('stays closed on error replies from a healthy Redis (a wrong type says nothing of its health)', async () => {
  const redis = createTestRedis();
  clients.push(redis);
  const breaker = createRedisBreaker(settings);
  await redis.set('a-string', 'x');

  for (let i = 0; i < 6; i++) {
    await expect(breaker.fire(() => redis.lpush('a-string', 'y'))).rejects.toThrow(/WRONGTYPE/);
  }

  expect(breaker.opened).toBe(false);
  await redis.del('a-string');
  breaker.shutdown();
});
