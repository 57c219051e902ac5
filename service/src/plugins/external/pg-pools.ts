import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import type { ServiceConfig } from '../../config';
import { createPool } from '../../db/create-pool';

/** The two Aurora endpoints: the writer (also the read-your-writes path) and the load-balanced readers. */
export interface Databases {
  readonly writer: Pool;
  readonly reader: Pool;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Databases;
  }
}

/** Options of the pg pools plugin. */
export interface PgPoolsOptions {
  /** Database settings from the service configuration. */
  readonly database: ServiceConfig['database'];
}

/** Opens the writer and reader pools, and closes them when the server closes. */
export default fp<PgPoolsOptions>(
  async (app, { database }) => {
    const db: Databases = {
      writer: createPool('writer', database.writer, database),
      reader: createPool('reader', database.reader, database),
    };
    for (const [role, pool] of Object.entries(db)) {
      // An idle connection dropped by the server (failover, restart) must not crash the process.
      pool.on('error', (error: Error) =>
        app.log.warn({ err: error, pool: role }, 'idle database connection failed'),
      );
    }
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await Promise.all([db.writer.end(), db.reader.end()]);
    });
  },
  { name: 'pg-pools' },
);
