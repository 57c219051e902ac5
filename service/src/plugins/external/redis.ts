import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { ServiceConfig } from '../../config';
import { createRedisBreaker, type RedisBreaker } from '../../redis/redis-breaker';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
    /** Every request-path Redis call (cache, rate limit, coalescing lock) goes through it. */
    redisBreaker: RedisBreaker;
  }
}

/** Options of the Redis plugin. */
export interface RedisOptions {
  /** Redis settings from the service configuration. */
  readonly redis: ServiceConfig['redis'];
}

/**
 * One shared Redis client (ElastiCache in AWS; `rediss://` for TLS) and the circuit breaker its callers use.
 * It fails fast rather than queueing: a command issued while
 * Redis is down errors at once, so every caller can fall back (to the database, to a local limit).
 */
export default fp<RedisOptions>(
  async (app, { redis }) => {
    const client = new Redis(redis.url, {
      keyPrefix: redis.keyPrefix,
      commandTimeout: redis.commandTimeoutMs,
      connectTimeout: 2000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Keep trying to reconnect in the background, at most every 2 s; requests never wait for it.
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
      lazyConnect: true,
      // On close, do not linger over a socket that is already gone (Redis was down).
      disconnectTimeout: 100,
      // Commands issued in one turn of the event loop (the rate-limit counts of concurrent requests) go out in
      // one write: one system call instead of one per command.
      enableAutoPipelining: true,
    });
    client.on('error', (error: Error) => app.log.warn({ err: error }, 'redis connection error'));
    // Wait for the first connection attempt so the first requests find Redis ready, but do not fail
    // start-up when Redis is down: the service degrades instead, and reconnects in the background.
    await client.connect().catch((error: Error) => app.log.warn({ err: error }, 'starting without Redis'));
    const breaker = createRedisBreaker(redis.breaker);
    breaker.on('open', () =>
      app.log.error('redis circuit breaker opened: skipping Redis, using the fallbacks'),
    );
    breaker.on('close', () => app.log.info('redis circuit breaker closed'));
    app.decorate('redis', client);
    app.decorate('redisBreaker', breaker);
    app.addHook('onClose', async () => {
      breaker.shutdown();
      // QUIT lets replies in flight arrive; a client that never connected has nothing to wait for.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    });
  },
  { name: 'redis' },
);
