import fp from 'fastify-plugin';
import type { ServiceConfig } from '../../config';
import { createCacheMetrics } from '../../cache/cache-metrics';
import { TwoLevelCache } from '../../cache/two-level-cache';
import type { Post } from '../../schemas/posts';
import type { User } from '../../schemas/users';

/** The entity caches of the service. */
export interface Caches {
  readonly post: TwoLevelCache<Post>;
  readonly user: TwoLevelCache<User>;
}

declare module 'fastify' {
  interface FastifyInstance {
    caches: Caches;
  }
}

/** Options of the caches plugin. */
export interface CachesOptions {
  /** Cache TTLs and sizes from the service configuration. */
  readonly cache: ServiceConfig['cache'];
}

/** Creates the two-level caches for single-entity reads, reporting to the app's metrics registry. */
export default fp<CachesOptions>(
  async (app, { cache }) => {
    const metrics = createCacheMetrics(app.metrics);
    const settings = {
      redis: app.redis,
      breaker: app.redisBreaker,
      metrics,
      memoryTtlMs: cache.memoryTtlMs,
      memoryMaxEntries: cache.memoryMaxEntries,
      redisTtlMs: cache.redisTtlMs,
    };
    app.decorate('caches', {
      post: new TwoLevelCache<Post>({ name: 'post', ...settings }),
      user: new TwoLevelCache<User>({ name: 'user', ...settings }),
    });
  },
  { name: 'caches', dependencies: ['redis', 'metrics'] },
);
