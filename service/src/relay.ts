import pino from 'pino';
import { ConfigError, loadRelayConfig, type RelayConfig } from './config';
import { startRelayWorker } from './outbox/relay-worker';

/**
 * The outbox relay: a second entry point of the same bundle (`node relay.js`). Run one or more replicas;
 * they share the work through row locks. SIGTERM fails readiness, finishes the batch in progress, closes the
 * health listener and the connections, and exits 0.
 */
async function main(config: RelayConfig): Promise<void> {
  const log = pino({ level: config.logLevel });
  const worker = await startRelayWorker(config, log);
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'relay stopping after the batch in progress');
    await worker.stop();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

let config: RelayConfig;
try {
  config = loadRelayConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
main(config).catch((error: unknown) => {
  process.stderr.write(`relay failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
