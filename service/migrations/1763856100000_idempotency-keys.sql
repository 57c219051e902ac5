-- Up Migration
-- One row per Idempotency-Key a tenant sent on a POST, written in the same transaction as the POST's effect:
-- either both exist or neither does, so a retry after a crash re-executes and a retry after success replays.
CREATE TABLE idempotency_keys (
  tenant_id        text        NOT NULL,
  key              text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash     text        NOT NULL,
  status_code      smallint    NOT NULL,
  response_headers jsonb       NOT NULL DEFAULT '{}',
  response_body    jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

-- Expired keys are found by age when they are purged.
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
