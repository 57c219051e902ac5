import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** Inserts rows straight into a test database, to set up a scene without going through the API under test. */
export class Fixtures {
  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<Fixtures> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new Fixtures(client);
  }

  /** Inserts a user and returns its id. */
  async user(tenantId: string, name = 'Ada'): Promise<string> {
    const { rows } = await this.client.query<{ id: string }>(
      'INSERT INTO users (tenant_id, email, name) VALUES ($1, $2, $3) RETURNING id',
      [tenantId, `${randomUUID()}@example.com`, name],
    );
    return rows[0].id;
  }

  /** Inserts `count` posts one millisecond apart (newest last) and returns their ids, oldest first. */
  async posts(tenantId: string, authorId: string, count: number): Promise<string[]> {
    const { rows } = await this.client.query<{ id: string }>(
      `INSERT INTO posts (tenant_id, author_id, title, body, created_at)
       SELECT $1, $2, 'post ' || n, 'body of post ' || n, now() - (($3 - n) * interval '1 millisecond')
       FROM generate_series(1, $3) AS n
       ORDER BY n
       RETURNING id`,
      [tenantId, authorId, count],
    );
    return rows.map((row) => row.id);
  }

  /** Runs raw SQL, for assertions on what the API wrote. */
  query<Row extends Record<string, unknown>>(text: string, values: unknown[] = []) {
    return this.client.query<Row>(text, values);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
