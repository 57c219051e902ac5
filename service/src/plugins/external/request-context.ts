import type { FastifyReply, FastifyRequest } from 'fastify';
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
    readonly cancellation: AbortSignal;
  }
}

/** Options of the request-context plugin. */
export interface RequestContextOptions {
  /** Past this many milliseconds a request's work is cancelled (Fastify answers 503 at the same time). */
  readonly requestTimeoutMs: number;
}

const REPLY = Symbol('reply');
const STARTED_AT = Symbol('startedAt');
const SIGNAL = Symbol('cancellation');

interface RequestState {
  [REPLY]?: FastifyReply;
  /** `performance.now()` when the request arrived. */
  [STARTED_AT]?: number;
  [SIGNAL]?: AbortSignal;
}

/**
 * Gives every request its read-consistency preference and a cancellation signal. The signal (an
 * AbortController, a timer and a `close` listener) is made the first time a request asks for it, counting
 * its timeout from the request's start: a read served from the cache never does, and saves their cost.
 * Fastify's own `request.signal` is not used: it follows the request stream's `close`, which fires as soon
 * as a body has been read, so it would cancel every POST and PATCH that reaches its handler.
 */
export default fp<RequestContextOptions>(
  async (app, { requestTimeoutMs }) => {
    app.decorateRequest('consistency', 'eventual');
    app.decorateRequest(REPLY, undefined);
    app.decorateRequest(STARTED_AT, 0);
    app.decorateRequest(SIGNAL, undefined);
    app.decorateRequest('cancellation', {
      getter(this: FastifyRequest & RequestState) {
        const deadline = this[STARTED_AT]! + requestTimeoutMs;
        this[SIGNAL] ??= cancellationSignal(this[REPLY]!, deadline);
        return this[SIGNAL];
      },
    });
    // A callback hook, not an async one: no promise per request for a few assignments.
    app.addHook('onRequest', (request: FastifyRequest & RequestState, reply, done) => {
      request.consistency = request.headers['consistency'] === 'strong' ? 'strong' : 'eventual';
      request[REPLY] = reply;
      request[STARTED_AT] = performance.now();
      done();
    });
  },
  { name: 'request-context' },
);

/** A signal that aborts at `deadline` (`performance.now()` time), or when the connection closes before the response is complete. */
function cancellationSignal(reply: FastifyReply, deadline: number): AbortSignal {
  const controller = new AbortController();
  const response = reply.raw;
  if (response.writableFinished) return controller.signal;
  if (response.destroyed) {
    controller.abort(new Error('client closed the connection'));
    return controller.signal;
  }
  const timer = setTimeout(
    () => controller.abort(new Error('request timed out')),
    Math.max(0, deadline - performance.now()),
  );
  response.once('close', () => {
    clearTimeout(timer);
    // `close` before the response finished means the connection went away under us.
    if (!response.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return controller.signal;
}

/** How a route's reads should run: the client's consistency, cancelled with the request (made only if a read needs it). */
export function readOptionsOf(request: FastifyRequest): ReadOptions {
  return {
    consistency: request.consistency,
    get signal() {
      return request.cancellation;
    },
  };
}
