import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ReadOptions } from '../app/read-options';

/** How fresh a read must be: `strong` reads from the writer, `eventual` from the readers. */
export type ReadConsistency = 'strong' | 'eventual';

declare module 'fastify' {
  interface FastifyRequest {
    /** `strong` when the client sent `Consistency: strong`, else `eventual`. */
    consistency: ReadConsistency;
    /**
     * Aborted when the client goes away before its response is complete, or when the request runs past
     * its timeout: whatever the request started (queries, transactions) should stop then.
     */
    cancellation: AbortSignal;
  }
}

/** Options of the request-context plugin. */
export interface RequestContextOptions {
  /** Past this many milliseconds a request's work is cancelled (Fastify answers 503 at the same time). */
  readonly requestTimeoutMs: number;
}

/**
 * Gives every request its read-consistency preference and a cancellation signal. Fastify's own
 * `request.signal` is not used: it follows the request stream's `close`, which fires as soon as a body
 * has been read, so it would cancel every POST and PATCH that reaches its handler.
 */
export default fp<RequestContextOptions>(
  async (app, { requestTimeoutMs }) => {
    app.decorateRequest('consistency', 'eventual');
    app.decorateRequest('cancellation', undefined as unknown as AbortSignal);
    app.addHook('onRequest', async (request, reply) => {
      request.consistency = request.headers['consistency'] === 'strong' ? 'strong' : 'eventual';
      const controller = new AbortController();
      request.cancellation = controller.signal;
      const timer = setTimeout(() => controller.abort(new Error('request timed out')), requestTimeoutMs);
      reply.raw.once('close', () => {
        clearTimeout(timer);
        // `close` before the response finished means the connection went away under us.
        if (!reply.raw.writableFinished) controller.abort(new Error('client closed the connection'));
      });
    });
  },
  { name: 'request-context' },
);

/** How a route's reads should run: the client's consistency, cancelled with the request. */
export function readOptionsOf(request: FastifyRequest): ReadOptions {
  return { consistency: request.consistency, signal: request.cancellation };
}
