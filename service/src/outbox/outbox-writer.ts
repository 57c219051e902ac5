import type { Queryable } from '../db/queryable';
import type { NewOutboxEvent } from './outbox-event';

/** Appends an event to the outbox; call it with the transaction that makes the change it describes. */
export async function appendOutboxEvent(tx: Queryable, event: NewOutboxEvent): Promise<void> {
  await tx.query(
    'INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload) VALUES ($1, $2, $3, $4)',
    [event.tenantId, event.type, event.aggregateId, JSON.stringify(event.payload)],
  );
}
