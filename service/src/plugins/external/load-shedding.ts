import underPressure from '@fastify/under-pressure';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { errorBody } from './error-handler';

/** Requests refused because the process was overloaded. */
export const SHED_REQUESTS = 'http_requests_shed_total';
/** Seconds a shed client is told to wait before retrying. */
const RETRY_AFTER_SECONDS = 1;
/**
 * How often the event-loop delay is sampled (the mean over the interval is compared with the limit).
 * Long enough that start-up work (schema compilation) does not read as overload for the first requests.
 */
const SAMPLE_INTERVAL_MS = 1000;

/** Options of the load-shedding plugin. */
export interface LoadSheddingOptions {
  /** Shed while the event loop lags more than this many milliseconds; 0 turns shedding off. */
  readonly maxEventLoopDelayMs: number;
}

/**
 * Answers 503 with `Retry-After` at once while the event loop lags: a fast refusal another replica can
 * absorb beats a slow answer that misses its deadline anyway. Routes opt out (the probes do) by setting a
 * `pressureHandler` that lets the request through.
 */
export default fp<LoadSheddingOptions>(
  async (app, { maxEventLoopDelayMs }) => {
    if (maxEventLoopDelayMs === 0) return;
    const shed = new Counter({
      name: SHED_REQUESTS,
      help: 'Requests answered 503 without being processed because the event loop lagged.',
      labelNames: ['reason'] as const,
      registers: [app.metrics],
    });
    await app.register(underPressure, {
      maxEventLoopDelay: maxEventLoopDelayMs,
      sampleInterval: SAMPLE_INTERVAL_MS,
      pressureHandler: (_request, reply, type) => {
        shed.inc({ reason: type });
        reply
          .code(503)
          .header('retry-after', String(RETRY_AFTER_SECONDS))
          .send(errorBody('overloaded', 'the service is overloaded; retry shortly'));
      },
    });
  },
  { name: 'load-shedding', dependencies: ['metrics'] },
);

/** A route-level `pressureHandler` that serves the request anyway (a probe must answer under load). */
export function serveUnderPressure(_request: unknown, _reply: FastifyReply): void {}
