-- Up Migration
-- Idempotency keys per user as well as per tenant, so two users of a tenant sending the same key each get their own
-- execution. A new table, not a new primary key on idempotency_keys: the previous release's pods keep serving during
-- a rollout, and their ON CONFLICT (tenant_id, key) needs that table as it is. This release only reads it (keys
-- stored before it, for their 24 hours); a later migration drops it.
CREATE TABLE user_idempotency_keys (
  tenant_id        text        NOT NULL,
  user_id          uuid        NOT NULL,
  key              text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash     text        NOT NULL,
  status_code      smallint    NOT NULL,
  response_headers jsonb       NOT NULL DEFAULT '{}',
  response_body    jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, key)
);

-- Expired keys are found by age when they are purged.
CREATE INDEX user_idempotency_keys_created_idx ON user_idempotency_keys (created_at);

-- The API claims, completes and replays keys (as it does on idempotency_keys, see the workload-roles migration).
GRANT SELECT, INSERT, UPDATE, DELETE ON user_idempotency_keys TO api_service;

-- Down Migration
DROP TABLE user_idempotency_keys;
