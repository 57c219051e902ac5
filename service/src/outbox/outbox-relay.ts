import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
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

/** Name of the span of one batch that had events: publish, mark, commit. */
export const BATCH_SPAN = 'outbox.relay.batch';
/** Name of the span of the call to the sink, a child of the batch's. */
export const PUBLISH_SPAN = 'outbox.publish';

/** The global tracer: spans only once tracing is started (the relay's entry point), no-ops otherwise. */
const tracer = trace.getTracer('outbox-relay');

/** The batch span a failed `relayOnce` ended with, so the loop reports the failure inside that trace. */
const failedBatchSpans = new WeakMap<object, Span>();

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

  /**
   * Publishes one batch; returns how many events it published. A batch with events is one span,
   * `outbox.relay.batch`, from BEGIN to COMMIT, with the publish (`outbox.publish`) and the UPDATE in it; an
   * empty poll makes none (with `queriesNeedParentSpan`, not even its queries).
   */
  async relayOnce(): Promise<number> {
    const { pool, sink, batchSize } = this.options;
    const startTime = new Date();
    let span: Span | undefined;
    try {
      return await withTransaction(pool, undefined, async (tx) => {
        const rows = await tx.query<OutboxRow>(
          `SELECT id, event_id, tenant_id, event_type, aggregate_id, payload, ${isoTimestamp('created_at')} AS occurred_at
           FROM outbox WHERE published_at IS NULL
           ORDER BY id
           LIMIT $1
           FOR UPDATE SKIP LOCKED`,
          [batchSize],
        );
        if (rows.length === 0) return 0;
        // Started now that there is work, dated from the poll: the span covers the lock as well.
        span = tracer.startSpan(
          BATCH_SPAN,
          { startTime, attributes: { 'outbox.batch.limit': batchSize, 'outbox.batch.size': rows.length } },
          ROOT_CONTEXT,
        );
        return context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
          await tracer.startActiveSpan(
            PUBLISH_SPAN,
            { kind: SpanKind.PRODUCER, attributes: { 'messaging.batch.message_count': rows.length } },
            async (publish) => {
              try {
                await sink.publish(rows.map(toEvent));
              } catch (error) {
                failSpan(publish, error);
                throw error;
              } finally {
                publish.end();
              }
            },
          );
          await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
            rows.map((row) => row.id),
          ]);
          span?.setAttribute('outbox.batch.published', rows.length);
          return rows.length;
        });
      });
    } catch (error) {
      if (span) {
        failSpan(span, error);
        span.setAttribute('outbox.batch.published', 0);
        if (typeof error === 'object' && error !== null) failedBatchSpans.set(error, span);
      }
      throw error;
    } finally {
      span?.end();
    }
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
        // Inside the failed batch's trace, so the error's log line carries its trace id.
        const span = typeof error === 'object' && error !== null ? failedBatchSpans.get(error) : undefined;
        const reportIn = span ? trace.setSpan(ROOT_CONTEXT, span) : context.active();
        context.with(reportIn, () => this.options.onError?.(error));
      }
      if (published < this.options.batchSize && !this.stopping) {
        await new Promise((resolve) => setTimeout(resolve, this.options.idleDelayMs));
      }
    }
  }
}

function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
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
