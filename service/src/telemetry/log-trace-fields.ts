import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/** The ids of the active span, for a log line (pino `mixin`); none outside a trace. */
export function logTraceFields(): Record<string, string> {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}
