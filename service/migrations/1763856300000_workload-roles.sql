-- Up Migration
-- One database role per workload, with only the privileges its queries need, so neither the API nor the relay
-- connects as the master user (rds_superuser). Roles belong to the whole server, not to this database: a role
-- that exists already (another database of the server, a re-run) is kept as it is. No role gets a password:
-- in AWS they sign in with IAM authentication (rds_iam, which exists only on RDS and Aurora).
DO $$
DECLARE
  workload text;
BEGIN
  FOREACH workload IN ARRAY ARRAY['api_service', 'outbox_relay'] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', workload);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END LOOP;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN
    GRANT rds_iam TO api_service, outbox_relay;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO api_service, outbox_relay;

-- The API: reads and writes its tables, appends events, reads the outbox's oldest pending event (the lag gauge),
-- and reads which migrations are in (its pods wait for their build's schema).
GRANT SELECT, INSERT, UPDATE, DELETE ON users, posts, idempotency_keys TO api_service;
GRANT SELECT, INSERT ON outbox TO api_service;
GRANT SELECT ON schema_migrations TO api_service, outbox_relay;

-- The relay: reads pending events and marks them published; it can change nothing else.
GRANT SELECT, UPDATE (published_at) ON outbox TO outbox_relay;

-- Down Migration
REVOKE ALL ON users, posts, idempotency_keys, outbox, schema_migrations FROM api_service, outbox_relay;
REVOKE USAGE ON SCHEMA public FROM api_service, outbox_relay;
