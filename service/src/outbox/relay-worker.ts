import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RelayConfig } from '../config';
import { createPool } from '../db/create-pool';
import { runQuery } from '../db/run-query';
import { RedisStreamSink, type EventSink } from './event-sink';
import { OutboxRelay } from './outbox-relay';
import { startRelayHealthServer } from './relay-health-server';
import { createRelayMetrics } from './relay-metrics';
import { SqsSink } from './sqs-event-sink';

/** A running relay: its loop, its connections and its health listener. */
export interface RelayWorker {
  /** Port of the health and metrics listener. */
  readonly healthPort: number;
  /** Fails readiness, finishes the batch in progress, closes the listener, then the pool and the sink. */
  stop(): Promise<void>;
}

/** Bound on a readiness check of the database or the sink. */
const READINESS_TIMEOUT_MS = 1000;

/**
 * Connects to the database and the sink (a Redis stream or SQS, as configured), starts the health listener
 * (probes and `/metrics` on `RELAY_PORT`), then the relay loop. Any number of workers may run at once: they share the outbox through row locks.
 */
export async function startRelayWorker(config: RelayConfig, log: Logger): Promise<RelayWorker> {
  const pool = createPool(config.database.writer, config.database);
  pool.on('error', (error) => log.warn({ err: error }, 'idle database connection failed'));
  const sink = createSink(config, log);
  const metrics = createRelayMetrics(pool);

  const relay = new OutboxRelay({
    pool,
    sink,
    batchSize: config.outbox.batchSize,
    idleDelayMs: config.outbox.idleDelayMs,
    onPublished: (count) => metrics.published.inc(count),
    onError: (error) => {
      metrics.batchFailures.inc();
      log.error({ err: error }, 'relay batch failed; its events stay in the outbox and are retried');
    },
  });

  let draining = false;
  const health = await startRelayHealthServer({
    host: config.server.host,
    port: config.server.port,
    registry: metrics.registry,
    isDraining: () => draining,
    checkTimeoutMs: READINESS_TIMEOUT_MS,
    checks: {
      database: async () => {
        await runQuery(pool, 'SELECT 1', [], AbortSignal.timeout(READINESS_TIMEOUT_MS));
      },
      sink: () => sink.ping(),
    },
  });
  log.info(
    { url: `http://${config.server.host}:${health.port}` },
    'relay health and metrics listener started',
  );

  relay.start();
  const { sink: target } = config.outbox;
  log.info(
    target.kind === 'sqs' ? { queueUrl: target.queueUrl } : { stream: target.stream },
    'relay started',
  );

  return {
    healthPort: health.port,
    async stop() {
      draining = true;
      await relay.stop();
      await health.close();
      await pool.end();
      await sink.close();
    },
  };
}

/** The configured sink, with what closes its connections. */
function createSink(config: RelayConfig, log: Logger): EventSink & { close(): Promise<void> } {
  const target = config.outbox.sink;
  if (target.kind === 'sqs') {
    const sqs = new SqsSink(target);
    return {
      publish: (events) => sqs.publish(events),
      ping: () => sqs.ping(),
      close: async () => sqs.close(),
    };
  }
  // Redis only for the stream: a relay publishing to SQS opens no Redis connection.
  const redis = new Redis(config.redis.url, {
    keyPrefix: config.redis.keyPrefix,
    commandTimeout: config.redis.commandTimeoutMs,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const stream = new RedisStreamSink(redis, target.stream);
  return {
    publish: (events) => stream.publish(events),
    ping: () => stream.ping(),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
