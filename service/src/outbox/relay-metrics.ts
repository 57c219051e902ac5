import type { Pool } from 'pg';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { OUTBOX_LAG, OUTBOX_LAG_HELP, outboxLagSeconds } from './outbox-lag';

/** Events the relay published to the sink (at least once: a retried batch counts again). */
export const OUTBOX_EVENTS_PUBLISHED = 'outbox_events_published_total';
/** Relay batches that failed (database or sink error); their events stay in the outbox and are retried. */
export const OUTBOX_BATCH_FAILURES = 'outbox_relay_batch_failures_total';

/** The relay's Prometheus registry and the counters its loop updates. */
export interface RelayMetrics {
  /** Everything `/metrics` serves: runtime defaults, the outbox lag and the counters below. */
  readonly registry: Registry;
  /** Incremented by the number of events of each published batch. */
  readonly published: Counter;
  /** Incremented once per failed batch. */
  readonly batchFailures: Counter;
}

/** Creates the relay's metrics; the lag gauge reads the outbox through `pool` on each scrape. */
export function createRelayMetrics(pool: Pool): RelayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: OUTBOX_LAG,
    help: OUTBOX_LAG_HELP,
    registers: [registry],
    async collect() {
      try {
        this.set(await outboxLagSeconds(pool, AbortSignal.timeout(1000)));
      } catch {
        // A scrape must not fail because the database is down; the gauge keeps its last value.
      }
    },
  });
  const published = new Counter({
    name: OUTBOX_EVENTS_PUBLISHED,
    help: 'Events the outbox relay published to the event sink (a batch retried after a failure counts again).',
    registers: [registry],
  });
  const batchFailures = new Counter({
    name: OUTBOX_BATCH_FAILURES,
    help: 'Outbox relay batches that failed on the database or the sink; their events are retried.',
    registers: [registry],
  });
  return { registry, published, batchFailures };
}
