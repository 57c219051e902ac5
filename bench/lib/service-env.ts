import { loadPlatformConfig } from '../../infra/config/platform-config';
import { apiEnvironment } from '../../k8s/lib/api-environment';
import { TTL_JITTER } from '../../service/src/cache/two-level-cache';
import { parseConfig } from '../../service/src/config';
import { TEST_JWT_SECRET } from '../../service/test/helpers/tokens';

/** What the service under test connects to. */
export interface ServiceEnvProps {
  readonly port: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** A key prefix of the run's own, so the shared Redis is never flushed or polluted. */
  readonly redisKeyPrefix: string;
}

/** The environment of the service under test: production defaults except what a benchmark must change. */
export function serviceEnv(props: ServiceEnvProps): Record<string, string> {
  const production = loadPlatformConfig('prod');
  return {
    NODE_ENV: 'production',
    // The production pod's heap limit (from its memory limit): it sizes V8's heap, and so what GC costs.
    NODE_OPTIONS: apiEnvironment(production, production.primaryRegion).NODE_OPTIONS,
    HOST: '127.0.0.1',
    PORT: String(props.port),
    // Production's level: one access-log line per request, written to /dev/null by the bench.
    LOG_LEVEL: 'info',
    DATABASE_URL: props.databaseUrl,
    REDIS_URL: props.redisUrl,
    REDIS_KEY_PREFIX: props.redisKeyPrefix,
    JWT_SECRET: TEST_JWT_SECRET,
    // One tenant sends all the load: a limit that never triggers, while every request still counts in Redis.
    RATE_LIMIT_MAX: '1000000000',
    // Idle connections close after 1 s (default 10 s) so PostgreSQL reports their statistics between scenarios.
    DATABASE_IDLE_TIMEOUT_MS: '1000',
  };
}

/**
 * Seconds of load after which the service's shared cache is in its steady state: every entry then held was
 * loaded within one Redis TTL (with its jitter), so entries expire as fast as new ones are loaded.
 */
export function cacheSteadyStateSeconds(env: Record<string, string>): number {
  return Math.ceil((parseConfig(env).cache.redisTtlMs * (1 + TTL_JITTER)) / 1000);
}
