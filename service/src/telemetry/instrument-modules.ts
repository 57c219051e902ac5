import http from 'node:http';
import type { TracerProvider } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { Redis } from 'ioredis';
import pg from 'pg';

/** One instrumentation's patch of one loaded module, undoable. */
interface ModulePatch {
  readonly instrumentation: {
    setTracerProvider(provider: TracerProvider): void;
    getModuleDefinitions(): readonly {
      name: string;
      patch?: (exports: unknown, version?: string) => unknown;
      unpatch?: (exports: unknown, version?: string) => void;
    }[];
  };
  readonly module: string;
  readonly exports: unknown;
}

/** Options of {@link instrumentModules}. */
export interface InstrumentOptions {
  /**
   * Trace a PostgreSQL query only inside a span: the relay polls the outbox five times a second while idle,
   * and only a batch with events (its own span) is worth a trace.
   * @default false - every query is traced, a root span when nothing encloses it (the API)
   */
  readonly queriesNeedParentSpan?: boolean;
}

/**
 * Applies the HTTP, pg and ioredis instrumentations to the module objects this code imported, through
 * each instrumentation's own module definitions. The usual require hook (require-in-the-middle) never
 * sees pg or ioredis inside the esbuild bundle, since bundled modules are not `require`d by name; patching
 * the imported objects works the same bundled or not. Returns a function that removes every patch.
 */
export function instrumentModules(provider: TracerProvider, options: InstrumentOptions = {}): () => void {
  // `enabled: false`: no require hook is installed; the patches below are the only ones.
  const patches: ModulePatch[] = [
    {
      instrumentation: new HttpInstrumentation({
        enabled: false,
        disableIncomingRequestInstrumentation: true,
      }),
      // Outgoing requests get a CLIENT span. Incoming ones get their SERVER span (the root of each trace) from
      // @fastify/otel alone: a second span per request from here cost about 100 µs of CPU per cached read.
      module: 'http',
      exports: http,
    },
    // pg's Client query and connect: the pool's queries run through them.
    {
      instrumentation: new PgInstrumentation({
        enabled: false,
        requireParentSpan: options.queriesNeedParentSpan ?? false,
      }),
      module: 'pg',
      exports: pg,
    },
    { instrumentation: new IORedisInstrumentation({ enabled: false }), module: 'ioredis', exports: Redis },
  ];
  const undo: (() => void)[] = [];
  for (const { instrumentation, module, exports } of patches) {
    instrumentation.setTracerProvider(provider);
    const definition = instrumentation.getModuleDefinitions().find((candidate) => candidate.name === module);
    if (!definition?.patch)
      throw new Error(`the ${module} instrumentation has no module definition to apply`);
    definition.patch(exports);
    undo.push(() => definition.unpatch?.(exports));
  }
  return () => {
    for (const step of undo.reverse()) step();
  };
}
