import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { runQuery } from '../../db/run-query';

/** Age of the oldest event the relay has not published yet: 0 when the outbox is drained. */
export const OUTBOX_LAG = 'outbox_oldest_unpublished_age_seconds';

/** Reports the outbox lag on each scrape, from the partial index of unpublished rows (a cheap lookup). */
export default fp(
  async (app) => {
    new Gauge({
      name: OUTBOX_LAG,
      help: 'Seconds since the oldest unpublished outbox event was written (0 when the relay has caught up).',
      registers: [app.metrics],
      async collect() {
        try {
          const [row] = await runQuery<{ age: number | null }>(
            app.db.reader,
            `SELECT extract(epoch FROM now() - created_at)::float8 AS age
             FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1`,
            [],
            AbortSignal.timeout(1000),
          );
          this.set(row?.age ?? 0);
        } catch {
          // A scrape must not fail because the database is down; the gauge keeps its last value.
        }
      },
    });
  },
  { name: 'outbox-metrics', dependencies: ['pg-pools', 'metrics'] },
);
