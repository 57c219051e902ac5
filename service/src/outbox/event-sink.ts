import type { Redis } from 'ioredis';
import type { OutboxEvent } from './outbox-event';

/** Where the relay publishes events: a Redis stream here, SQS or EventBridge in AWS. */
export interface EventSink {
  /** Publishes every event, in order; throws if any could not be published (they will be retried). */
  publish(events: readonly OutboxEvent[]): Promise<void>;
  /** Resolves when the sink answers, throws when it cannot be reached (the relay's readiness check). */
  ping(): Promise<void>;
}

/** Bound on the stream's length, so consumers that fall far behind cannot exhaust Redis memory. */
const STREAM_MAX_LENGTH = 1_000_000;

/** Publishes to a Redis stream, one entry per event, carrying the event id consumers deduplicate on. */
export class RedisStreamSink implements EventSink {
  constructor(
    private readonly redis: Redis,
    /** Stream key, for example `events`. */
    readonly stream: string,
  ) {}

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async publish(events: readonly OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const event of events) {
      pipeline.xadd(
        this.stream,
        'MAXLEN',
        '~',
        STREAM_MAX_LENGTH,
        '*',
        'event_id',
        event.eventId,
        'type',
        event.type,
        'tenant_id',
        event.tenantId,
        'aggregate_id',
        event.aggregateId,
        'occurred_at',
        event.occurredAt,
        'payload',
        JSON.stringify(event.payload),
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  }
}
