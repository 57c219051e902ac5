import type { Pool } from 'pg';
import { runQuery } from '../db/run-query';

/** Age of the oldest event the relay has not published yet: 0 when the outbox is drained. */
export const OUTBOX_LAG = 'outbox_oldest_unpublished_age_seconds';

/** Help text of {@link OUTBOX_LAG}, the same wherever the gauge is exported (API pods and relay pods). */
export const OUTBOX_LAG_HELP =
  'Seconds since the oldest unpublished outbox event was written (0 when the relay has caught up).';

/** Seconds since the oldest unpublished event was written, from the partial index of unpublished rows (a cheap lookup). */
export async function outboxLagSeconds(pool: Pool, signal?: AbortSignal): Promise<number> {
  const [row] = await runQuery<{ age: number | null }>(
    pool,
    `SELECT extract(epoch FROM now() - created_at)::float8 AS age
     FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1`,
    [],
    signal,
  );
  return row?.age ?? 0;
}
