import FastifyOtelInstrumentation from '@fastify/otel';
import { context, propagation } from '@opentelemetry/api';
import fp from 'fastify-plugin';
import type { TracingConfig } from '../../config';
import { PROBE_AND_SCRAPE_PATHS } from '../../telemetry/untraced-paths';

/** Options of the tracing plugin. */
export interface TracingPluginOptions {
  /** Tracing settings; with `enabled` false the plugin adds nothing. */
  readonly tracing: TracingConfig;
}

/**
 * Traces every request with `@fastify/otel` (a `request` SERVER span, the root of the trace or the child of
 * the caller's `traceparent`, and a handler span) and answers with a `traceparent` header naming the request's
 * span, so a client can quote it. Registered first, so that it sees every route. Without `startTracing` the
 * spans are no-ops.
 */
export default fp<TracingPluginOptions>(
  async (app, { tracing }) => {
    if (!tracing.enabled) return;
    const instrumentation = new FastifyOtelInstrumentation({
      // Lifecycle hooks as spans would triple the span count for little insight; the handler span stays.
      instrumentHooks: false,
      ignorePaths: (route) => PROBE_AND_SCRAPE_PATHS.has(route.url ?? ''),
    });
    await app.register(instrumentation.plugin());
    app.addHook('onRequest', (_request, reply, done) => {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      if (carrier.traceparent) reply.header('traceparent', carrier.traceparent);
      done();
    });
  },
  { name: 'tracing' },
);
