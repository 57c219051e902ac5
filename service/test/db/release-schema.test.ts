import { readdirSync } from 'node:fs';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '../../src/db/migrate';
import { migrateWhereWritable, SchemaWaitTimeoutError, waitForSchema } from '../../src/db/release-schema';
import { pendingMigrations } from '../../src/db/schema-status';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const TLS = { mode: 'disable' } as const;
const SHIPPED = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.replace(/\.sql$/, ''))
  .sort();

const databases: TestDatabase[] = [];
async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrate: false });
  databases.push(database);
  return database;
}

afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
});

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('migrateWhereWritable', () => {
  it('applies every shipped migration where the database takes writes, then finds nothing to do', async () => {
    const database = await freshDatabase();
    const target = { databaseUrl: database.directUrl, tls: TLS };

    expect(await migrateWhereWritable(target, silent)).toEqual({ kind: 'applied', names: SHIPPED });
    expect(await migrateWhereWritable(target, silent)).toEqual({ kind: 'applied', names: [] });
  });

  // A replica cannot take DDL (an Aurora global secondary does not forward it): the Job there changes nothing.
  it('leaves a read-only database untouched', async () => {
    const database = await freshDatabase();
    await query(
      database.directUrl,
      `ALTER DATABASE ${new URL(database.directUrl).pathname.slice(1)} SET default_transaction_read_only = on`,
    );

    expect(await migrateWhereWritable({ databaseUrl: database.directUrl, tls: TLS }, silent)).toEqual({
      kind: 'read-only',
    });
    const [{ table }] = await query<{ table: string | null }>(
      database.directUrl,
      "SELECT to_regclass('schema_migrations')::text AS table",
    );
    expect(table).toBeNull();
  });
});

describe('waitForSchema', () => {
  it('returns once the migrations arrive, reporting what it waits for until then', async () => {
    const database = await freshDatabase();
    const target = { databaseUrl: database.directUrl, tls: TLS };
    const seen: (readonly string[])[] = [];

    const waiting = waitForSchema(target, { timeoutMs: 20_000, intervalMs: 50 }, (names) => seen.push(names));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await migrateWhereWritable(target, silent);
    await waiting;

    expect(seen[0]).toEqual(SHIPPED);
    const client = new Client({ connectionString: database.directUrl });
    await client.connect();
    expect(await pendingMigrations(client)).toEqual([]);
    await client.end();
  });

  it('gives up at the deadline, naming the migrations still missing', async () => {
    const database = await freshDatabase();

    await expect(
      waitForSchema({ databaseUrl: database.directUrl, tls: TLS }, { timeoutMs: 200, intervalMs: 50 }),
    ).rejects.toThrow(
      new SchemaWaitTimeoutError(`migrations still pending after 200 ms: ${SHIPPED.join(', ')}`),
    );
  });

  it('retries a database that does not answer, and says so at the deadline', async () => {
    const unreachable = 'postgres://postgres@127.0.0.1:1/none';

    await expect(
      waitForSchema({ databaseUrl: unreachable, tls: TLS }, { timeoutMs: 200, intervalMs: 50 }),
    ).rejects.toThrow(/the database did not answer within 200 ms: .*ECONNREFUSED/);
  });
});
