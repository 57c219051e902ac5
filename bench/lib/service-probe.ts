import { CACHE_LOADS, CACHE_LOOKUPS } from '../../service/src/cache/cache-metrics';
import { METRICS_PATH } from '../../service/src/probe-paths';
import type { BenchDatabase } from './bench-database';
import { parseSamples, sumSamples } from './prometheus-text';

/** The counters read before and after a scenario: the service's cache counters and the database's transactions. */
export interface ServiceCounters {
  /** Entity-cache lookups of posts (one per read, at the memory level). */
  readonly lookups: number;
  /** Loads of posts from the database on a miss. */
  readonly loads: number;
  /** Transactions in the bench database (pg_stat_database). */
  readonly transactions: number;
}

/** How long the bench waits for the service's idle connections to close (and flush their statistics). */
const SETTLE_TIMEOUT_MS = 8000;

/**
 * Waits until the service's pools have closed their idle connections: a PostgreSQL backend reports its
 * statistics when it exits, so counts read before then could miss the last second's queries.
 */
async function settle(database: BenchDatabase): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while ((await database.sessions()) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The backend's exit hooks run in sequence: leave them a moment after it leaves pg_stat_activity.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function scrape(baseUrl: string): Promise<Pick<ServiceCounters, 'lookups' | 'loads'>> {
  const samples = parseSamples(await (await fetch(`${baseUrl}${METRICS_PATH}`)).text());
  return {
    lookups: sumSamples(samples, CACHE_LOOKUPS, { cache: 'post', level: 'memory' }),
    loads: sumSamples(samples, CACHE_LOADS, { cache: 'post' }),
  };
}

/**
 * The counters before a scenario. A scrape runs a query itself (the outbox lag gauge), so before a scenario
 * the scrape comes first and the database count after it settles; after a scenario, the other way round.
 */
export async function countersBefore(baseUrl: string, database: BenchDatabase): Promise<ServiceCounters> {
  const metrics = await scrape(baseUrl);
  await settle(database);
  return { ...metrics, transactions: await database.transactions() };
}

/** The counters after a scenario (see {@link countersBefore}). */
export async function countersAfter(baseUrl: string, database: BenchDatabase): Promise<ServiceCounters> {
  await settle(database);
  const transactions = await database.transactions();
  return { ...(await scrape(baseUrl)), transactions };
}

/** The share of lookups between two readings that needed no database load, or undefined without lookups. */
export function hitRatio(before: ServiceCounters, after: ServiceCounters): number | undefined {
  const lookups = after.lookups - before.lookups;
  return lookups > 0 ? 1 - (after.loads - before.loads) / lookups : undefined;
}
