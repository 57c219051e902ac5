import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A client on the tests' Redis with a key prefix of its own, so files never see each other's keys. */
export function createTestRedis(url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'): Redis {
  return new Redis(url, { keyPrefix: `test:${randomBytes(4).toString('hex')}:`, maxRetriesPerRequest: 0 });
}

/** A client whose server never answers (nothing listens on port 1): every command fails at once. */
export function createUnreachableRedis(): Redis {
  const client = new Redis('redis://127.0.0.1:1', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    disconnectTimeout: 100,
  });
  client.on('error', () => {});
  return client;
}
