import fp from 'fastify-plugin';
import type { Pool, QueryResultRow } from 'pg';
import type { ServiceConfig } from '../../config';
import { createDatabaseBreaker, databaseUnavailable, type DatabaseBreaker } from '../../db/database-breaker';
import { createPool } from '../../db/create-pool';
import { withTransaction, type Queryable } from '../../db/queryable';
import { retryTransient } from '../../db/retry-transient';
import { runQuery } from '../../db/run-query';
import type { ReadOptions } from '../app/read-options';

/**
 * The two Aurora endpoints behind one circuit breaker: the writer (also the read-your-writes path) and the
 * load-balanced readers. Repositories go through `forRead`, `forWrite` and `transaction`, never the pools.
 */
export class Databases {
  constructor(
    /** The writer endpoint's pool. */
    readonly writer: Pool,
    /** The reader endpoint's pool. */
    readonly reader: Pool,
    /** Opens when the database keeps failing, so calls fail fast instead of waiting on it. */
    readonly breaker: DatabaseBreaker,
    /** How long the breaker stays open: what an open breaker tells clients to wait. */
    private readonly breakerResetMs: number,
  ) {}

  /** Both pools by role, for probes and gauges. */
  pools(): [role: 'writer' | 'reader', pool: Pool][] {
    return [
      ['writer', this.writer],
      ['reader', this.reader],
    ];
  }

  /** Reads from the replicas, or from the writer for `strong` consistency; transient failures are retried. */
  forRead(options: ReadOptions): Queryable {
    const pool = options.consistency === 'strong' ? this.writer : this.reader;
    return {
      query: <Row extends QueryResultRow>(text: string, values: readonly unknown[]) =>
        this.guard(() =>
          retryTransient(() => runQuery<Row>(pool, text, values, options.signal), options.signal),
        ),
    };
  }

  /** Single statements on the writer, each committed on its own; never retried. */
  forWrite(signal?: AbortSignal): Queryable {
    return {
      query: <Row extends QueryResultRow>(text: string, values: readonly unknown[]) =>
        this.guard(() => runQuery<Row>(this.writer, text, values, signal)),
    };
  }

  /** Runs `work` in one transaction on the writer. */
  transaction<T>(signal: AbortSignal | undefined, work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.guard(() => withTransaction(this.writer, signal, work));
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(call)) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        throw databaseUnavailable(this.breakerResetMs);
      }
      throw error;
    }
  }
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
    const db = new Databases(
      createPool(database.writer, database),
      createPool(database.reader, database),
      createDatabaseBreaker(database.breaker),
      database.breaker.resetTimeoutMs,
    );
    for (const [role, pool] of db.pools()) {
      // An idle connection dropped by the server (failover, restart) must not crash the process.
      pool.on('error', (error: Error) =>
        app.log.warn({ err: error, pool: role }, 'idle database connection failed'),
      );
    }
    db.breaker.on('open', () =>
      app.log.error('database circuit breaker opened: failing database calls fast'),
    );
    db.breaker.on('close', () => app.log.info('database circuit breaker closed'));
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      db.breaker.shutdown();
      await Promise.all([db.writer.end(), db.reader.end()]);
    });
  },
  { name: 'pg-pools' },
);
