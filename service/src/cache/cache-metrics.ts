import { Counter, type Registry } from 'prom-client';

/** Lookups by cache, level (`memory`, `redis`) and result (`hit`, `miss`): the hit ratio per level. */
export const CACHE_LOOKUPS = 'cache_lookups_total';
/** Callers served by another caller's load of the same key, in this process or via the Redis lock. */
export const CACHE_COALESCED = 'cache_coalesced_total';
/** Redis failures the cache absorbed by going to the database instead. */
export const CACHE_REDIS_ERRORS = 'cache_redis_errors_total';
/** Loads from the source of truth (the database): what the cache exists to keep low. */
export const CACHE_LOADS = 'cache_loads_total';

/** What the cache reports; one instance per registry, shared by every cache of the app. */
export interface CacheMetrics {
  lookup(cache: string, level: 'memory' | 'redis', result: 'hit' | 'miss'): void;
  coalesced(cache: string, scope: 'process' | 'cluster'): void;
  redisError(cache: string): void;
  load(cache: string): void;
}

/** Registers the cache counters on `registry`. */
export function createCacheMetrics(registry: Registry): CacheMetrics {
  const lookups = new Counter({
    name: CACHE_LOOKUPS,
    help: 'Cache lookups by cache, level (memory, redis) and result (hit, miss).',
    labelNames: ['cache', 'level', 'result'] as const,
    registers: [registry],
  });
  const coalesced = new Counter({
    name: CACHE_COALESCED,
    help: 'Cache misses that waited for a load already under way (scope: process or cluster).',
    labelNames: ['cache', 'scope'] as const,
    registers: [registry],
  });
  const redisErrors = new Counter({
    name: CACHE_REDIS_ERRORS,
    help: 'Redis errors absorbed by the cache (the request fell back to the database).',
    labelNames: ['cache'] as const,
    registers: [registry],
  });
  const loads = new Counter({
    name: CACHE_LOADS,
    help: 'Loads from the database on a cache miss.',
    labelNames: ['cache'] as const,
    registers: [registry],
  });
  return {
    lookup: (cache, level, result) => lookups.inc({ cache, level, result }),
    coalesced: (cache, scope) => coalesced.inc({ cache, scope }),
    redisError: (cache) => redisErrors.inc({ cache }),
    load: (cache) => loads.inc({ cache }),
  };
}
