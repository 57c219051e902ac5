import type { Queryable } from '../db/queryable';
import type { NewOutboxEvent } from './outbox-event';

/** Appends an event to the outbox; call it with the transaction that makes the change it describes. */
export async function appendOutboxEvent(tx: Queryable, event: NewOutboxEvent): Promise<void> {
  await tx.query(
    'INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload) VALUES ($1, $2, $3, $4)',
    [event.tenantId, event.type, event.aggregateId, JSON.stringify(event.payload)],
  );
}

/** Appends many events with one statement; same transaction rule as {@link appendOutboxEvent}. */
export async function appendOutboxEvents(tx: Queryable, events: readonly NewOutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT event.tenant_id, event.event_type, event.aggregate_id, event.payload
     FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[]) AS event(tenant_id, event_type, aggregate_id, payload)`,
    [
      events.map((event) => event.tenantId),
      events.map((event) => event.type),
      events.map((event) => event.aggregateId),
      events.map((event) => JSON.stringify(event.payload)),
    ],
  );
}
