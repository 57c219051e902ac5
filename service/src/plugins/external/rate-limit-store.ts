import type {
  FastifyRateLimitOptions,
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
} from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { throughBreaker, type RedisBreaker } from '../../redis/redis-breaker';
// The plugin's own stores: reused so the Redis algorithm (one Lua INCR + PEXPIRE) stays the plugin's.
import LocalStore from '@fastify/rate-limit/store/LocalStore';
import RedisStore from '@fastify/rate-limit/store/RedisStore';

type Store = FastifyRateLimitStore;
type Callback = Parameters<Store['incr']>[1];
type Counted = Parameters<Callback>[1];

/** Reports which store answered, so a Redis outage shows on the dashboard. */
export type StoreUsed = (store: 'redis' | 'local') => void;

/**
 * Counts in Redis, shared by every replica; when Redis fails (or its breaker is open), counts in this
 * process instead, so the limiter fails open to a per-replica limit rather than to no limit or to errors.
 */
class RedisWithLocalFallback implements Store {
  constructor(
    private readonly shared: Store,
    private readonly local: Store,
    private readonly used: StoreUsed,
    private readonly breaker: RedisBreaker | undefined,
  ) {}

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    throughBreaker(
      this.breaker,
      () =>
        new Promise<Counted>((resolve, reject) =>
          this.shared.incr(
            key,
            (error, result) => (error ? reject(error) : resolve(result)),
            timeWindow,
            max,
          ),
        ),
    ).then(
      (result) => {
        this.used('redis');
        callback(null, result);
      },
      () => {
        this.used('local');
        this.local.incr(key, callback, timeWindow, max);
      },
    );
  }

  child(routeOptions: Parameters<Store['child']>[0]): Store {
    return new RedisWithLocalFallback(
      this.shared.child(routeOptions),
      this.local.child(routeOptions),
      this.used,
      this.breaker,
    );
  }
}

/** A store constructor for the plugin's `store` option, bound to a Redis client, its breaker and a usage reporter. */
export function redisWithLocalFallback(
  redis: Redis,
  nameSpace: string,
  used: StoreUsed,
  breaker?: RedisBreaker,
): FastifyRateLimitStoreCtor {
  return class extends RedisWithLocalFallback {
    constructor(options: FastifyRateLimitOptions) {
      // The plugin passes its merged settings, which its typings leave opaque.
      const { continueExceeding, exponentialBackoff } = options as {
        continueExceeding: boolean;
        exponentialBackoff: boolean;
      };
      super(
        new RedisStore(continueExceeding, exponentialBackoff, redis, nameSpace),
        new LocalStore(continueExceeding, exponentialBackoff),
        used,
        breaker,
      );
    }
  };
}
