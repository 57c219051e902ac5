import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { ServiceConfig } from '../config';
import { instrumentModules, type InstrumentOptions } from './instrument-modules';

/** Options of {@link startTracing}. */
export interface TracingOptions extends InstrumentOptions {
  /** Tracing settings from the service configuration. */
  readonly tracing: ServiceConfig['tracing'];
  /**
   * Where finished spans go instead of OTLP, each exported as soon as it ends (tests).
   * @default - OTLP/HTTP to the configured endpoint, batched; no export when none is configured
   */
  readonly exporter?: SpanExporter;
}

/** Tracing for this process; `shutdown` exports what is buffered and removes every patch. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry for this process: a tracer provider (AsyncLocalStorage context, W3C trace context)
 * and the HTTP, pg and ioredis instrumentations applied to the modules themselves. Spans, and so trace ids
 * in logs and `traceparent` headers, exist even with no exporter; they are only sent when one is configured.
 * With `tracing.enabled` false it does nothing.
 */
export function startTracing({ tracing, exporter, ...instrument }: TracingOptions): Tracing {
  // Nothing registered: the API's no-op tracer makes every span a no-op, and @fastify/otel is not added.
  if (!tracing.enabled) return { shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: tracing.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(tracing.sampleRatio) }),
    spanProcessors: spanProcessors(tracing, exporter),
  });
  provider.register();
  const uninstrument = instrumentModules(provider, instrument);
  return {
    async shutdown() {
      uninstrument();
      await provider.shutdown();
      // The API's registrations are process-wide: leave none behind for whatever runs next.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

function spanProcessors(tracing: ServiceConfig['tracing'], exporter?: SpanExporter): SpanProcessor[] {
  if (exporter) return [new SimpleSpanProcessor(exporter)];
  if (!tracing.otlpEndpoint) return [];
  // OTEL_EXPORTER_OTLP_ENDPOINT is the collector's base URL; traces go to its /v1/traces (as the spec says).
  const url = new URL(
    'v1/traces',
    tracing.otlpEndpoint.endsWith('/') ? tracing.otlpEndpoint : `${tracing.otlpEndpoint}/`,
  );
  // A collector that does not answer must not hold up shutdown past its grace period.
  return [new BatchSpanProcessor(new OTLPTraceExporter({ url: url.toString(), timeoutMillis: 2000 }))];
}
