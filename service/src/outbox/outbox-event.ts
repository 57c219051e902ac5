/** The events the service emits, one per committed change of a post. */
export type OutboxEventType = 'post.created' | 'post.updated' | 'post.deleted';

/** An event to append to the outbox within the writing transaction. */
export interface NewOutboxEvent {
  readonly tenantId: string;
  readonly type: OutboxEventType;
  readonly aggregateId: string;
  readonly payload: unknown;
}

/** An event as the relay reads it from the outbox. */
export interface OutboxEvent {
  /** Position in the outbox (insertion order). */
  readonly id: string;
  /** Unique id consumers deduplicate on: delivery is at least once. */
  readonly eventId: string;
  readonly tenantId: string;
  readonly type: OutboxEventType;
  readonly aggregateId: string;
  readonly payload: unknown;
  /** When the change committed, RFC 3339. */
  readonly occurredAt: string;
}
