import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { SERVICE_DIST, buildService, warmCompileCache } from '../../scripts/build-service';
import { claims, signHs256 } from '../../service/test/helpers/tokens';
import { createBenchDatabase, seedPosts, type BenchDatabase, type SeededData } from './bench-database';
import type { BenchOptions } from './bench-options';

/** What every bench command works in: a fresh bundle, a seeded database of its own and a Redis key prefix. */
export interface BenchEnvironment {
  readonly options: BenchOptions;
  /** The bundled server entry point, as the image runs it. */
  readonly serverBundle: string;
  /** Bytes of each bundled entry point. */
  readonly bundleSizes: Readonly<Record<string, number>>;
  readonly database: BenchDatabase;
  readonly seeded: SeededData;
  readonly redisKeyPrefix: string;
  /** Headers of an authenticated request as the seeded user. */
  readonly authHeaders: Readonly<Record<string, string>>;
}

/** Builds the bundle, creates and seeds the database, runs `work`, then drops the database and the run's Redis keys. */
export async function withBenchEnvironment<T>(
  options: BenchOptions,
  work: (environment: BenchEnvironment) => Promise<T>,
): Promise<T> {
  const log = (message: string) => process.stdout.write(`${message}\n`);
  log('building the bundle (npm run build) and its compile cache, as the image build does ...');
  const bundleSizes = await buildService();
  warmCompileCache(SERVICE_DIST);
  const database = await createBenchDatabase(options.adminDatabaseUrl);
  const redisKeyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  try {
    const started = performance.now();
    const seeded = await seedPosts(database.url, 100, options.posts);
    log(`seeded ${seeded.postIds.length} posts in ${Math.round(performance.now() - started)} ms`);
    const token = signHs256(
      claims(seeded.tenantId, seeded.userId, { exp: Math.floor(Date.now() / 1000) + 86_400 }),
    );
    return await work({
      options,
      serverBundle: path.join(SERVICE_DIST, 'server.js'),
      bundleSizes,
      database,
      seeded,
      redisKeyPrefix,
      authHeaders: { authorization: `Bearer ${token}` },
    });
  } finally {
    await database.drop();
    await deleteKeysWithPrefix(options.redisUrl, redisKeyPrefix);
  }
}

/** Deletes only this run's keys (SCAN by prefix): the Redis is shared and is never flushed. */
async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
