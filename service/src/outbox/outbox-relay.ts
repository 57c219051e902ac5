import type { Pool } from 'pg';
import { isoTimestamp } from '../db/sql';
import { withTransaction } from '../db/queryable';
import type { EventSink } from './event-sink';
import type { OutboxEvent } from './outbox-event';

/** Settings of a relay. */
export interface OutboxRelayOptions {
  /** The writer pool: the relay locks and updates outbox rows. */
  readonly pool: Pool;
  readonly sink: EventSink;
  /** Events per batch (one transaction, one publish call). */
  readonly batchSize: number;
  /** Pause between polls when the outbox is empty. */
  readonly idleDelayMs: number;
  /** Reports errors; the relay keeps going after them. */
  readonly onError?: (error: unknown) => void;
  /** Told how many events each batch of the loop published (for the published counter). */
  readonly onPublished?: (count: number) => void;
}

interface OutboxRow {
  id: string;
  event_id: string;
  tenant_id: string;
  event_type: OutboxEvent['type'];
  aggregate_id: string;
  payload: unknown;
  occurred_at: string;
}

/**
 * Moves events from the outbox to the sink. Each batch is locked with `FOR UPDATE SKIP LOCKED`, so any
 * number of relays can run side by side without publishing the same row concurrently; rows are marked
 * published in the same transaction, after the sink accepted them. A relay killed between the two
 * leaves the rows unmarked and they are published again: delivery is at least once, never lost.
 */
export class OutboxRelay {
  private stopping = false;
  private running?: Promise<void>;

  constructor(private readonly options: OutboxRelayOptions) {}

  /** Publishes one batch; returns how many events it published. */
  async relayOnce(): Promise<number> {
    const { pool, sink, batchSize } = this.options;
    return withTransaction(pool, undefined, async (tx) => {
      const rows = await tx.query<OutboxRow>(
        `SELECT id, event_id, tenant_id, event_type, aggregate_id, payload, ${isoTimestamp('created_at')} AS occurred_at
         FROM outbox WHERE published_at IS NULL
         ORDER BY id
         LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      await sink.publish(rows.map(toEvent));
      await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
        rows.map((row) => row.id),
      ]);
      return rows.length;
    });
  }

  /** Relays until `stop` is called: back to back while there is a backlog, every `idleDelayMs` otherwise. */
  start(): void {
    this.running ??= this.loop();
  }

  /** Finishes the batch in progress, then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let published = 0;
      try {
        published = await this.relayOnce();
        if (published > 0) this.options.onPublished?.(published);
      } catch (error) {
        this.options.onError?.(error);
      }
      if (published < this.options.batchSize && !this.stopping) {
        await new Promise((resolve) => setTimeout(resolve, this.options.idleDelayMs));
      }
    }
  }
}

function toEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    eventId: row.event_id,
    tenantId: row.tenant_id,
    type: row.event_type,
    aggregateId: row.aggregate_id,
    payload: row.payload,
    occurredAt: row.occurred_at,
  };
}
