import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRICS_PATH } from '../../probe-paths';
import { serveUnderPressure } from './load-shedding';

/** The RED histogram every SLO, dashboard and canary analysis is computed from. */
export const HTTP_REQUEST_DURATION = 'http_request_duration_seconds';
/** Connections per pool and state (`total`, `idle`, `waiting`). */
export const DB_POOL_CONNECTIONS = 'db_pool_connections';
/** Circuit breaker state by dependency: 0 closed, 1 half-open (trying), 2 open (failing fast). */
export const CIRCUIT_BREAKER_STATE = 'circuit_breaker_state';
/** Calls refused at once because a dependency's breaker was open. */
export const CIRCUIT_BREAKER_REJECTIONS = 'circuit_breaker_rejections_total';
/**
 * Bearer token verifications by `outcome`: `accepted`, the 401s (`missing`, `expired`, `invalid`, `unknown_key`,
 * `invalid_claims`: no tenant or user, no `exp`, or a lifetime over `JWT_MAX_TOKEN_LIFETIME_S`) and `identity_provider_unavailable` (503: the signing keys could not be fetched).
 */
export const AUTH_TOKEN_VERIFICATIONS = 'auth_token_verifications_total';
/**
 * Latency buckets in seconds. 0.2 and 0.5 must stay: they are the GET and POST latency SLO thresholds,
 * and a histogram can only answer "what share was under X" for an X that is a bucket bound.
 */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

/** Serves Prometheus metrics at `/metrics`: request duration by route template and status class, pools, runtime. */
export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

    const duration = new Histogram({
      name: HTTP_REQUEST_DURATION,
      help: 'Time from receiving a request to sending its response, by method, route template and status class.',
      labelNames: ['method', 'route', 'status_class'] as const,
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });

    new Gauge({
      name: DB_POOL_CONNECTIONS,
      help: 'PostgreSQL pool connections by pool (writer, reader) and state (total, idle, waiting).',
      labelNames: ['pool', 'state'] as const,
      registers: [registry],
      collect() {
        for (const [pool, stats] of app.db.pools()) {
          this.set({ pool, state: 'total' }, stats.totalCount);
          this.set({ pool, state: 'idle' }, stats.idleCount);
          this.set({ pool, state: 'waiting' }, stats.waitingCount);
        }
      },
    });

    new Gauge({
      name: CIRCUIT_BREAKER_STATE,
      help: 'Circuit breaker state by dependency: 0 closed, 1 half-open, 2 open.',
      labelNames: ['dependency'] as const,
      registers: [registry],
      collect() {
        for (const breaker of [app.db.breaker, app.redisBreaker]) {
          this.set({ dependency: breaker.name }, breaker.opened ? 2 : breaker.halfOpen ? 1 : 0);
        }
      },
    });
    const rejections = new Counter({
      name: CIRCUIT_BREAKER_REJECTIONS,
      help: 'Calls refused at once because the dependency circuit breaker was open.',
      labelNames: ['dependency'] as const,
      registers: [registry],
    });
    for (const breaker of [app.db.breaker, app.redisBreaker]) {
      breaker.on('reject', () => rejections.inc({ dependency: breaker.name }));
    }

    app.decorate('metrics', registry);
    app.addHook('onResponse', (request, reply, done) => {
      duration.observe(
        {
          method: request.method,
          // The route template, never the raw URL: ids in label values would explode the series count.
          route: request.routeOptions.url ?? 'unmatched',
          status_class: `${Math.floor(reply.statusCode / 100)}xx`,
        },
        reply.elapsedTime / 1000,
      );
      done();
    });

    app.get(
      METRICS_PATH,
      // Scrapes are never limited or shed: an overloaded pod is when its metrics matter most.
      { schema: { hide: true }, config: { rateLimit: false, pressureHandler: serveUnderPressure } },
      async (_request, reply) => {
        reply.type(registry.contentType);
        return registry.metrics();
      },
    );
  },
  { name: 'metrics', dependencies: ['pg-pools', 'redis'] },
);
