import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { OUTBOX_LAG, OUTBOX_LAG_HELP, outboxLagSeconds } from '../../outbox/outbox-lag';

/** Reports the outbox lag on each scrape, read from the reader pool. */
export default fp(
  async (app) => {
    new Gauge({
      name: OUTBOX_LAG,
      help: OUTBOX_LAG_HELP,
      registers: [app.metrics],
      async collect() {
        try {
          this.set(await outboxLagSeconds(app.db.reader, AbortSignal.timeout(1000)));
        } catch {
          // A scrape must not fail because the database is down; the gauge keeps its last value.
        }
      },
    });
  },
  { name: 'outbox-metrics', dependencies: ['pg-pools', 'metrics'] },
);
