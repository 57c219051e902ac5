import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createCacheMetrics } from '../../src/cache/cache-metrics';
import { TwoLevelCache, type TwoLevelCacheOptions } from '../../src/cache/two-level-cache';
import { createTestRedis, createUnreachableRedis } from '../helpers/test-redis';

interface Item {
  id: string;
  owner: string;
}

let redis: Redis;
const clients: Redis[] = [];

beforeAll(() => {
  redis = createTestRedis();
  clients.push(redis);
});

afterAll(async () => {
  await Promise.all(
    clients.map((client) => (client.status === 'ready' ? client.quit() : client.disconnect())),
  );
});

/** A cache as one replica would hold it; several share the same Redis, as replicas share ElastiCache. */
function replica(overrides: Partial<TwoLevelCacheOptions> = {}) {
  const registry = new Registry();
  const cache = new TwoLevelCache<Item>({
    name: 'item',
    redis,
    metrics: createCacheMetrics(registry),
    memoryTtlMs: 60_000,
    memoryMaxEntries: 100,
    redisTtlMs: 60_000,
    ...overrides,
  });
  const counter = async (name: string, labels: Record<string, string>) => {
    const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
    const value = metric?.values.find((sample) =>
      Object.entries(labels).every(([k, v]) => sample.labels[k] === v),
    );
    return value?.value ?? 0;
  };
  return { cache, counter };
}

/** A loader that counts its calls and takes `delayMs`, like a database query. */
function countingLoader(value: Item | null, delayMs = 30) {
  const loader = Object.assign(
    async () => {
      loader.calls++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return value;
    },
    { calls: 0 },
  );
  return loader;
}

let keyCounter = 0;
const freshKey = () => `v1:{t}:item:${++keyCounter}`;

describe('TwoLevelCache', () => {
  it('loads once, then serves from memory, and another replica from Redis', async () => {
    const key = freshKey();
    const first = replica();
    const second = replica();
    const load = countingLoader({ id: '1', owner: 'a' });

    await first.cache.get(key, load);
    await first.cache.get(key, load);
    const fromOtherReplica = await second.cache.get(key, load);

    expect(load.calls).toBe(1);
    expect(fromOtherReplica).toEqual({ id: '1', owner: 'a' });
    expect(await first.counter('cache_lookups_total', { level: 'memory', result: 'hit' })).toBe(1);
    expect(await second.counter('cache_lookups_total', { level: 'redis', result: 'hit' })).toBe(1);
  });

  it('coalesces 500 concurrent misses on one cold key into one load, across two replicas', async () => {
    const key = freshKey();
    const replicas = [replica(), replica()];
    const load = countingLoader({ id: '2', owner: 'a' }, 100);

    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => replicas[i % 2].cache.get(key, load)),
    );

    expect(load.calls).toBe(1);
    expect(new Set(results.map((result) => result?.id))).toEqual(new Set(['2']));
    const waitedInProcess = await Promise.all(
      replicas.map((r) => r.counter('cache_coalesced_total', { scope: 'process' })),
    );
    const waitedOnLock = await Promise.all(
      replicas.map((r) => r.counter('cache_coalesced_total', { scope: 'cluster' })),
    );
    expect(waitedInProcess.reduce((a, b) => a + b)).toBe(498);
    expect(waitedOnLock.reduce((a, b) => a + b)).toBe(1);
  });

  it('caches "not found" too, so a missing id does not reach the database every time', async () => {
    const key = freshKey();
    const load = countingLoader(null);

    expect(await replica().cache.get(key, load)).toBeNull();
    expect(await replica().cache.get(key, load)).toBeNull();
    expect(load.calls).toBe(1);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(6_600);
  });

  it('jitters the Redis TTL within ±10%', async () => {
    const ttls: number[] = [];
    for (let i = 0; i < 20; i++) {
      const key = freshKey();
      await replica().cache.get(key, countingLoader({ id: key, owner: 'a' }, 0));
      ttls.push(await redis.pttl(key));
    }

    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(53_900);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(66_000);
    expect(new Set(ttls).size).toBeGreaterThan(1);
  });

  it('drops a key everywhere on invalidate, so the next read loads the new value', async () => {
    const key = freshKey();
    const { cache } = replica();
    await cache.get(key, countingLoader({ id: '3', owner: 'old' }));

    await cache.invalidate(key);
    const reloaded = await cache.get(key, countingLoader({ id: '3', owner: 'new' }));

    expect(reloaded?.owner).toBe('new');
  });

  it('does not keep a value whose load started before an invalidation', async () => {
    const key = freshKey();
    const { cache } = replica({ redisTtlMs: 60_000 });
    const slowStale = cache.get(key, countingLoader({ id: '4', owner: 'stale' }, 100));

    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.invalidate(key);
    await slowStale;
    await redis.del(key);
    const next = await cache.get(key, countingLoader({ id: '4', owner: 'fresh' }, 0));

    expect(next?.owner).toBe('fresh');
  });

  it('keeps no bookkeeping for a key once its fills are done, after 1,000 create and invalidate cycles', async () => {
    const { cache } = replica();
    const keys: string[] = [];

    for (let i = 0; i < 1_000; i++) {
      const key = freshKey();
      keys.push(key);
      await cache.get(key, countingLoader({ id: key, owner: 'a' }, 0));
      await cache.invalidate(key);
    }

    // Bound: one entry per fill in flight, and none is in flight now.
    expect(cache.trackedKeys).toBe(0);
    await redis.del(...keys);
  });

  it('stays bounded by the fills in flight while invalidations race them', async () => {
    const { cache } = replica();
    const concurrency = 10;
    let maxTracked = 0;

    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = 0; i < 100; i++) {
          const key = freshKey();
          const filling = cache.get(key, countingLoader({ id: key, owner: 'a' }, 2));
          await cache.invalidate(key);
          maxTracked = Math.max(maxTracked, cache.trackedKeys);
          await filling;
          await cache.invalidate(key);
        }
      }),
    );

    expect(maxTracked).toBeLessThanOrEqual(concurrency);
    expect(cache.trackedKeys).toBe(0);
  });

  it('never keeps in memory a value loaded before the last invalidation, over 200 random races', async () => {
    const key = freshKey();
    const { cache } = replica();
    let version = 0;
    const load = async () => {
      const seen = version;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      return { id: key, owner: String(seen) };
    };

    for (let round = 0; round < 200; round++) {
      const filling = cache.get(key, load);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      version++;
      await cache.invalidate(key);
      await filling;
      // The stale fill may still land in Redis (its own TTL bounds that); memory is what this checks.
      await redis.del(key);
      expect((await cache.get(key, load))?.owner).toBe(String(version));
    }
  });

  it('drops every value carrying a tag', async () => {
    const [k1, k2, k3] = [freshKey(), freshKey(), freshKey()];
    const { cache } = replica();
    const byOwner = (item: Item) => [`v1:{t}:tag:owner:${item.owner}`];
    await cache.get(k1, countingLoader({ id: '5', owner: 'x' }), { tags: byOwner });
    await cache.get(k2, countingLoader({ id: '6', owner: 'x' }), { tags: byOwner });
    await cache.get(k3, countingLoader({ id: '7', owner: 'y' }), { tags: byOwner });

    await cache.invalidateTag('v1:{t}:tag:owner:x');

    expect(await redis.exists(k1, k2)).toBe(0);
    expect(await redis.exists(k3)).toBe(1);
    const reload = countingLoader({ id: '5', owner: 'x2' });
    expect((await cache.get(k1, reload))?.owner).toBe('x2');
  });

  it('caps a tag set at maxTagMembers by dropping all its values on overflow, so the tag still finds each one', async () => {
    const tag = 'v1:{t}:tag:owner:prolific';
    const { cache } = replica({ maxTagMembers: 5 });
    const byOwner = (item: Item) => [`v1:{t}:tag:owner:${item.owner}`];
    const keys: string[] = [];
    const sizes: number[] = [];

    for (let i = 0; i < 20; i++) {
      const key = freshKey();
      keys.push(key);
      await cache.get(key, countingLoader({ id: key, owner: 'prolific' }, 0), { tags: byOwner });
      sizes.push(await redis.scard(tag));
    }

    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
    const stillCached = keys.filter((_, i) => i >= 18);
    expect(await redis.exists(...stillCached)).toBe(2);
    expect((await redis.smembers(tag)).sort()).toEqual(stillCached.sort());
    await cache.invalidateTag(tag);
    expect(await redis.exists(...keys)).toBe(0);
  });

  it('falls back to the loader when Redis is down, and counts it', async () => {
    const down = createUnreachableRedis();
    clients.push(down);
    const { cache, counter } = replica({ redis: down });
    const load = countingLoader({ id: '8', owner: 'a' });

    const results = await Promise.all([cache.get(freshKey(), load), cache.get(freshKey(), load)]);

    expect(results.map((r) => r?.id)).toEqual(['8', '8']);
    expect(load.calls).toBe(2);
    expect(await counter('cache_redis_errors_total', { cache: 'item' })).toBe(2);
  });
});
