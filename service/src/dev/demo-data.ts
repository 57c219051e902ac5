import type { Pool } from 'pg';

/** A demo tenant with one user, whose id is fixed so that printed tokens stay valid across restarts. */
export interface DemoTenant {
  readonly tenantId: string;
  readonly userId: string;
  readonly userName: string;
}

/** Two tenants, so that isolation can be seen: each token only ever sees its own tenant's posts. */
export const DEMO_TENANTS: readonly DemoTenant[] = [
  { tenantId: 'acme', userId: '00000000-0000-4000-8000-00000000a001', userName: 'Ada (acme)' },
  { tenantId: 'globex', userId: '00000000-0000-4000-8000-00000000b001', userName: 'Grace (globex)' },
];

const POSTS_PER_TENANT = 120;

/** Inserts the demo users and posts unless they are there already. */
export async function seedDemoData(pool: Pool): Promise<void> {
  for (const tenant of DEMO_TENANTS) {
    await pool.query(
      `INSERT INTO users (tenant_id, id, email, name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [tenant.tenantId, tenant.userId, `${tenant.tenantId}@example.com`, tenant.userName],
    );
    await pool.query(
      `INSERT INTO posts (tenant_id, author_id, title, body, created_at, updated_at)
       SELECT $1, $2, $3 || ' post #' || n, 'Demo post ' || n || ' of tenant ' || $1, now() - n * interval '1 minute', now() - n * interval '1 minute'
       FROM generate_series(1, $4) AS n
       WHERE NOT EXISTS (SELECT 1 FROM posts WHERE tenant_id = $1)`,
      [tenant.tenantId, tenant.userId, tenant.tenantId, POSTS_PER_TENANT],
    );
  }
}
