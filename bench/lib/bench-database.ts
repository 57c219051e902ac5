import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateUp } from '../../service/src/db/migrate';

/** What the seed created: one tenant, its users and posts. */
export interface SeededData {
  readonly tenantId: string;
  /** The user the bench acts as (author of every seeded post it writes). */
  readonly userId: string;
  /** Every seeded post id, in a fixed order (the Zipf ranks index into it). */
  readonly postIds: readonly string[];
}

/** A database of its own for one bench run, migrated with the service's migrations. */
export interface BenchDatabase {
  readonly url: string;
  /**
   * Statements run in this database so far, as PostgreSQL counts them (pg_stat_database): transactions
   * committed or rolled back, less one per session established (each connection's start-up is a transaction).
   */
  transactions(): Promise<number>;
  /** Sessions connected to this database right now (pg_stat_activity, not delayed). */
  sessions(): Promise<number>;
  drop(): Promise<void>;
}

const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Creates `bench_<random>` on the server of `adminUrl` and applies the repository's migrations to it. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(5).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateUp(url.toString(), silentLogger);
  const stats = new Client({ connectionString: adminUrl, application_name: 'bench-stats' });
  await stats.connect();
  return {
    url: url.toString(),
    transactions: async () => {
      // A new snapshot per call: stats are otherwise cached for the reading transaction.
      await stats.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await stats.query<{ total: string }>(
        'SELECT xact_commit + xact_rollback - sessions AS total FROM pg_stat_database WHERE datname = $1',
        [name],
      );
      return Number(rows[0].total);
    },
    sessions: async () => {
      const { rows } = await stats.query<{ count: string }>(
        'SELECT count(*) AS count FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      return Number(rows[0].count);
    },
    drop: async () => {
      await stats.end();
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Seeds one tenant with `users` users and `posts` posts in two set-based statements (generate_series). */
export async function seedPosts(url: string, users: number, posts: number): Promise<SeededData> {
  const tenantId = 'bench';
  return withClient(url, async (client) => {
    await client.query(
      `INSERT INTO users (tenant_id, email, name)
       SELECT $1, 'user' || i || '@bench.example', 'Bench user ' || i FROM generate_series(1, $2::int) AS i`,
      [tenantId, users],
    );
    // Authors round-robin over the users; one second apart so the list order is stable and cursors walk.
    await client.query(
      `INSERT INTO posts (tenant_id, author_id, title, body, created_at, updated_at)
       SELECT $1, authors.ids[1 + i % array_length(authors.ids, 1)], 'Post number ' || i,
              repeat('Benchmark body text. ', 20), now() - i * interval '1 second', now() - i * interval '1 second'
       FROM generate_series(1, $2::int) AS i,
            (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE tenant_id = $1) AS authors`,
      [tenantId, posts],
    );
    await client.query('ANALYZE users, posts');
    // No autovacuum in this throw-away database: its transactions would count as the service's in pg_stat_database.
    const { rows: tables } = await client.query<{ name: string }>(
      "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'",
    );
    for (const { name } of tables) await client.query(`ALTER TABLE ${name} SET (autovacuum_enabled = off)`);
    const { rows: userRows } = await client.query<{ id: string }>(
      'SELECT id FROM users WHERE tenant_id = $1 ORDER BY id LIMIT 1',
      [tenantId],
    );
    const { rows: postRows } = await client.query<{ id: string }>(
      'SELECT id FROM posts WHERE tenant_id = $1 ORDER BY created_at DESC',
      [tenantId],
    );
    return { tenantId, userId: userRows[0].id, postIds: postRows.map((row) => row.id) };
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
