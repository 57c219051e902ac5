-- Up Migration
-- Events written in the same transaction as the change they describe, published afterwards by the relay:
-- a change is never committed without its event, and an event never leaves for a change that rolled back.
CREATE TABLE outbox (
  id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id     uuid        NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  tenant_id    text        NOT NULL,
  event_type   text        NOT NULL,
  aggregate_id uuid        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

-- The relay's work queue: only unpublished rows, in insertion order; stays small however long the table grows.
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE outbox;
