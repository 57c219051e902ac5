import fastifyRateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import type { ServiceConfig } from '../../config';
import { HttpError } from '../../http-error';
import { redisWithLocalFallback } from './rate-limit-store';

/** Requests counted by the limiter, by the store that counted them (`redis`, or `local` during an outage). */
export const RATE_LIMIT_REQUESTS = 'rate_limit_requests_total';
/** Requests refused with 429. */
export const RATE_LIMIT_REJECTIONS = 'rate_limit_rejections_total';

/** Options of the rate-limit plugin. */
export interface RateLimitOptions {
  /** Requests allowed per window and the window length. */
  readonly rateLimit: ServiceConfig['rateLimit'];
}

/**
 * Limits requests per tenant (per client IP where there is no token), counted in Redis so every replica
 * shares one budget. Every response says where the caller stands (`X-RateLimit-*`); past the limit the
 * answer is 429 with `Retry-After`. Routes opt out with `config: { rateLimit: false }` (probes, metrics).
 */
export default fp<RateLimitOptions>(
  async (app, { rateLimit }) => {
    const counted = new Counter({
      name: RATE_LIMIT_REQUESTS,
      help: 'Requests counted by the rate limiter, by store (redis, or local when Redis is unreachable).',
      labelNames: ['store'] as const,
      registers: [app.metrics],
    });
    const rejected = new Counter({
      name: RATE_LIMIT_REJECTIONS,
      help: 'Requests refused with 429 because their tenant (or IP) was over its limit.',
      registers: [app.metrics],
    });

    await app.register(fastifyRateLimit, {
      max: rateLimit.max,
      timeWindow: rateLimit.windowMs,
      // After authentication, so the budget belongs to the tenant rather than to a shared NAT address.
      hook: 'preHandler',
      keyGenerator: (request) =>
        request.principal ? `tenant:${request.principal.tenantId}` : `ip:${request.ip}`,
      store: redisWithLocalFallback(
        app.redis,
        'rate-limit:',
        (store) => counted.inc({ store }),
        app.redisBreaker,
      ),
      onExceeded: () => rejected.inc(),
      errorResponseBuilder: (_request, context) =>
        new HttpError(
          429,
          'rate_limited',
          `rate limit of ${context.max} requests per ${context.after} exceeded`,
        ),
    });
  },
  { name: 'rate-limit', dependencies: ['redis', 'metrics'] },
);
