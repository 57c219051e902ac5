import { Redis } from 'ioredis';
import pino from 'pino';
import { ConfigError, loadRelayConfig, type RelayConfig } from './config';
import { createPool } from './db/create-pool';
import { RedisStreamSink } from './outbox/event-sink';
import { OutboxRelay } from './outbox/outbox-relay';

/**
 * The outbox relay: a second entry point of the same bundle (`node relay.js`). Run one or more replicas;
 * they share the work through row locks. SIGTERM finishes the batch in progress and exits 0.
 */
async function main(config: RelayConfig): Promise<void> {
  const log = pino({ level: config.logLevel });
  const pool = createPool('writer', config.database.writer, config.database);
  pool.on('error', (error) => log.warn({ err: error }, 'idle database connection failed'));
  const redis = new Redis(config.redis.url, {
    keyPrefix: config.redis.keyPrefix,
    commandTimeout: config.redis.commandTimeoutMs,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));

  const relay = new OutboxRelay({
    pool,
    sink: new RedisStreamSink(redis, config.outbox.stream),
    batchSize: config.outbox.batchSize,
    idleDelayMs: config.outbox.idleDelayMs,
    onError: (error) =>
      log.error({ err: error }, 'relay batch failed; its events stay in the outbox and are retried'),
  });
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'relay stopping after the batch in progress');
    await relay.stop();
    await pool.end();
    await redis.quit();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  relay.start();
  log.info({ stream: config.outbox.stream }, 'relay started');
}

try {
  void main(loadRelayConfig());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
