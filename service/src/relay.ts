import pino from 'pino';
import { loadRelayConfig, type RelayConfig } from './config';
import { runEntryPoint } from './entry-point';
import { startRelayWorker } from './outbox/relay-worker';
import { logTraceFields } from './telemetry/log-trace-fields';
import { startTracing } from './telemetry/tracing';

/**
 * The outbox relay: a second entry point of the same bundle (`node relay.js`). Run one or more replicas;
 * they share the work through row locks. Traced like the API (exported only to a configured collector): one
 * trace per batch with events, and log lines inside it carry its trace id. SIGTERM fails readiness, finishes
 * the batch in progress, closes the health listener and the connections, flushes spans, and exits 0.
 */
async function main(config: RelayConfig): Promise<void> {
  // Before any connection is made; idle polls, probes and scrapes trace nothing.
  const tracing = startTracing({ tracing: config.tracing, queriesNeedParentSpan: true });
  const log = pino({ level: config.logLevel, mixin: logTraceFields });
  const worker = await startRelayWorker(config, log);
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'relay stopping after the batch in progress');
    await worker.stop();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

runEntryPoint(loadRelayConfig, main, 'relay failed to start');
