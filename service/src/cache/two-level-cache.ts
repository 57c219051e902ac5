import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { throughBreaker, type RedisBreaker } from '../redis/redis-breaker';
import type { CacheMetrics } from './cache-metrics';

/** Settings of one cache. */
export interface TwoLevelCacheOptions {
  /** Name used in metrics, for example `post`. */
  readonly name: string;
  /** Shared Redis client; its failures make the cache fall back to the loader, never fail the read. */
  readonly redis: Redis;
  /**
   * Breaker every Redis command goes through: while it is open the cache skips Redis at once.
   * @default - no breaker: every command goes to Redis
   */
  readonly breaker?: RedisBreaker;
  /** Counters to report to. */
  readonly metrics: CacheMetrics;
  /** How long a value lives in this process: short, since other replicas cannot invalidate it. */
  readonly memoryTtlMs: number;
  /** Bound on entries held in this process. */
  readonly memoryMaxEntries: number;
  /** How long a value lives in Redis, before jitter. */
  readonly redisTtlMs: number;
  /**
   * Bound on members of one tag set in Redis (about 100 bytes each). A hot tag's TTL is renewed by every
   * fill, so without it the set keeps the keys of long-expired values forever.
   * @default 10_000
   */
  readonly maxTagMembers?: number;
}

/** Per-read options. */
export interface LoadOptions<T> {
  /** Tags to attach to a loaded value, so that `invalidateTag` can drop it later. */
  readonly tags?: (value: T) => readonly string[];
}

interface MemoryEntry<T> {
  readonly value: T | null;
}

/** A load in progress for one key, which concurrent readers in this process share. */
interface Fill<T> {
  readonly promise: Promise<T | null>;
  /** Set by an invalidation during the load, so its (maybe stale) result is not kept in memory. */
  stale: boolean;
}

/** How long the loader of a key holds the cross-process lock, and so how long others wait for it at most. */
const LOCK_TTL_MS = 2000;
const LOCK_POLL_MS = 20;
const DEFAULT_MAX_TAG_MEMBERS = 10_000;
/** Misses (not found) are cached too, briefly, so a hot missing id cannot hammer the database. */
const NEGATIVE_TTL_DIVISOR = 10;

/**
 * Cache-aside in two levels: an in-process LRU in front of Redis in front of the loader (the database).
 * Concurrent misses on one key make one load: in the process through a shared promise, and across
 * processes through a short Redis lock whose holder loads while the others wait for its value.
 */
export class TwoLevelCache<T> {
  private readonly memory: LRUCache<string, MemoryEntry<T>>;
  /**
   * Fills in flight, the only per-key state outside the LRU: a key leaves it in the same synchronous step
   * that writes its result to memory, so it holds at most one entry per concurrent load, and an
   * invalidation always finds the fill it races.
   */
  private readonly inFlight = new Map<string, Fill<T>>();

  constructor(private readonly options: TwoLevelCacheOptions) {
    this.memory = new LRUCache({ max: options.memoryMaxEntries, ttl: Math.max(options.memoryTtlMs, 1) });
  }

  /** Keys this cache keeps bookkeeping for outside the LRU; exposed so its bound can be checked. */
  get trackedKeys(): number {
    return this.inFlight.size;
  }

  /** The value for `key`, from memory, Redis or `load` (`null`: the loader found nothing). */
  async get(key: string, load: () => Promise<T | null>, options: LoadOptions<T> = {}): Promise<T | null> {
    const { name, metrics } = this.options;
    const remembered = this.options.memoryTtlMs > 0 ? this.memory.get(key) : undefined;
    metrics.lookup(name, 'memory', remembered ? 'hit' : 'miss');
    if (remembered) return remembered.value;

    const pending = this.inFlight.get(key);
    if (pending) {
      metrics.coalesced(name, 'process');
      return pending.promise;
    }
    const fill: Fill<T> = { promise: this.readThrough(key, load, options), stale: false };
    this.inFlight.set(key, fill);
    try {
      const value = await fill.promise;
      if (this.options.memoryTtlMs > 0 && !fill.stale) this.memory.set(key, { value });
      return value;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Drops `keys` from this process and from Redis; call after the write has committed. */
  async invalidate(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.memory.delete(key);
      const fill = this.inFlight.get(key);
      if (fill) fill.stale = true;
    }
    try {
      await this.redis((redis) => redis.del(...keys));
    } catch {
      // The Redis copy then expires by its TTL; nothing else can be done without Redis.
      this.options.metrics.redisError(this.options.name);
    }
  }

  /** Drops every value tagged `tag` (for example all posts embedding one author). */
  async invalidateTag(tag: string): Promise<void> {
    try {
      const keys = await this.redis((redis) => redis.smembers(tag));
      await this.invalidate(...keys, tag);
    } catch {
      this.options.metrics.redisError(this.options.name);
    }
  }

  private async readThrough(
    key: string,
    load: () => Promise<T | null>,
    options: LoadOptions<T>,
  ): Promise<T | null> {
    const { name, metrics } = this.options;
    let locked: boolean;
    try {
      const stored = await this.redis((redis) => redis.get(key));
      metrics.lookup(name, 'redis', stored === null ? 'miss' : 'hit');
      if (stored !== null) return JSON.parse(stored) as T | null;
      locked = (await this.redis((redis) => redis.set(lockKey(key), '1', 'PX', LOCK_TTL_MS, 'NX'))) === 'OK';
      if (!locked) {
        const waited = await this.waitForOtherLoader(key);
        if (waited !== undefined) {
          metrics.coalesced(name, 'cluster');
          return waited;
        }
      }
    } catch {
      // Redis is down or slow: read from the source, still coalesced within this process.
      metrics.redisError(name);
      metrics.load(name);
      return load();
    }

    metrics.load(name);
    const value = await load();
    await this.store(key, value, options, locked);
    return value;
  }

  private async store(key: string, value: T | null, options: LoadOptions<T>, locked: boolean): Promise<void> {
    const { redisTtlMs } = this.options;
    const ttl = jitter(value === null ? Math.ceil(redisTtlMs / NEGATIVE_TTL_DIVISOR) : redisTtlMs);
    const tags = value === null ? [] : (options.tags?.(value) ?? []);
    let replies: [error: Error | null, result: unknown][] | null;
    try {
      replies = await this.redis((redis) => {
        const transaction = redis.multi().set(key, JSON.stringify(value), 'PX', ttl);
        for (const tag of tags) {
          transaction
            .sadd(tag, key)
            .pexpire(tag, redisTtlMs * 2)
            .scard(tag);
        }
        if (locked) transaction.del(lockKey(key));
        return transaction.exec();
      });
    } catch {
      this.options.metrics.redisError(this.options.name);
      return;
    }
    // A full tag set is dropped with every value it names, rather than trimmed: a value missing from its
    // tag's set would survive that tag's invalidation. A set so holds maxTagMembers, plus fills racing a drop.
    const maxMembers = this.options.maxTagMembers ?? DEFAULT_MAX_TAG_MEMBERS;
    // Replies: the SET, then SADD, PEXPIRE, SCARD per tag.
    const overfull = tags.filter((_, i) => Number(replies?.[3 + i * 3]?.[1]) > maxMembers);
    await Promise.all(overfull.map((tag) => this.invalidateTag(tag)));
  }

  /** Polls for the value the lock holder is loading; `undefined` if it did not arrive in time. */
  private async waitForOtherLoader(key: string): Promise<T | null | undefined> {
    const deadline = Date.now() + LOCK_TTL_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      const stored = await this.redis((redis) => redis.get(key));
      if (stored !== null) return JSON.parse(stored) as T | null;
    }
    return undefined;
  }

  /** Runs one Redis call through the breaker, if any. */
  private redis<R>(command: (redis: Redis) => Promise<R>): Promise<R> {
    return throughBreaker(this.options.breaker, () => command(this.options.redis));
  }
}

function lockKey(key: string): string {
  return `${key}:lock`;
}

/** Share of a TTL by which expiries are spread either way, so keys cached together do not all expire together. */
export const TTL_JITTER = 0.1;

function jitter(ttlMs: number): number {
  return Math.max(1, Math.round(ttlMs * (1 - TTL_JITTER + Math.random() * 2 * TTL_JITTER)));
}
