import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '../../src/db/migrate';
import { WORKLOAD_ROLES } from '../../src/db/workload-roles';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

// Every API and relay suite runs as these roles (the test database hands them out): that proves they may do
// all the service does. This file proves what they may not.
let database: TestDatabase;
let api: Client;
let relay: Client;
let postId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const fixtures = await Fixtures.connect(database.directUrl);
  const authorId = await fixtures.user('tenant-roles');
  [postId] = await fixtures.posts('tenant-roles', authorId, 1);
  await fixtures.query(
    "INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload) VALUES ('tenant-roles', 'post.created', $1, '{}')",
    [postId],
  );
  await fixtures.close();
  api = new Client({ connectionString: database.url });
  relay = new Client({ connectionString: database.relayUrl });
  await Promise.all([api.connect(), relay.connect()]);
});

afterAll(async () => {
  await Promise.all([api.end(), relay.end()]);
  await database.drop();
});

it('creates exactly the roles the workloads connect as', () => {
  const sql = readFileSync(path.join(MIGRATIONS_DIR, '1763856300000_workload-roles.sql'), 'utf8');
  const created = /FOREACH workload IN ARRAY ARRAY\[([^\]]*)\]/.exec(sql)?.[1];

  expect(created?.split(',').map((name) => name.trim().replace(/'/g, ''))).toEqual(
    Object.values(WORKLOAD_ROLES),
  );
});

it('gives neither role a server-wide power', async () => {
  const { rows } = await api.query<{ rolname: string; powers: boolean }>(
    'SELECT rolname, rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication AS powers FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname',
    [Object.values(WORKLOAD_ROLES)],
  );

  expect(rows).toEqual(
    Object.values(WORKLOAD_ROLES)
      .sort()
      .map((rolname) => ({ rolname, powers: false })),
  );
});

it.each([
  ['create a table', 'CREATE TABLE intruder (x int)'],
  ['change the schema', 'ALTER TABLE posts ADD COLUMN intruder int'],
  ['empty a table at once', 'TRUNCATE posts'],
  ['mark events published', 'UPDATE outbox SET published_at = now()'],
  ['delete events', 'DELETE FROM outbox'],
  ['record a migration', "INSERT INTO schema_migrations (name, run_on) VALUES ('intruder', now())"],
])('the API cannot %s', async (_what, statement) => {
  await expect(api.query(statement)).rejects.toThrow(/permission denied|must be owner/);
});

it.each([
  ['read users', 'SELECT * FROM users'],
  ['read posts', 'SELECT * FROM posts'],
  [
    'write events',
    "INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload) VALUES ('t', 'x', gen_random_uuid(), '{}')",
  ],
  ['change what an event says', "UPDATE outbox SET payload = '{}'"],
  ['delete events', 'DELETE FROM outbox'],
])('the relay cannot %s', async (_what, statement) => {
  await expect(relay.query(statement)).rejects.toThrow(/permission denied/);
});

it('lets the relay take pending events and mark them published, and nothing more', async () => {
  await relay.query('BEGIN');
  const { rows } = await relay.query<{ id: string }>(
    'SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED',
  );
  const updated = await relay.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
    rows.map((row) => row.id),
  ]);
  await relay.query('COMMIT');

  expect(updated.rowCount).toBe(1);
});
