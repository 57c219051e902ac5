import { LIVENESS_PATH } from '../../service/src/probe-paths';
import type { BenchEnvironment } from './bench-environment';
import { cpuMicrosPerRequest, type ChildServer } from './child-server';
import type { ScenarioResult } from './scenario-result';
import { countersAfter, countersBefore } from './service-probe';
import { stampede } from './stampede';

/** The stampede's own figures beside its table row: how many database queries 500 cold reads made. */
export interface StampedeFigures {
  readonly concurrency: number;
  /** Transactions in the bench database during the stampede (pg_stat_database). */
  readonly databaseQueries: number;
  /** Loads the service's cache made (cache_loads_total). */
  readonly cacheLoads: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

/** 500 concurrent GETs of one cold post (never read before), after a warm-up stampede on another cold post. */
export async function runStampede(
  environment: BenchEnvironment,
  service: ChildServer,
  warmUpPostId: string,
  coldPostId: string,
  concurrency = 500,
): Promise<{ result: ScenarioResult; figures: StampedeFigures }> {
  const { database, authHeaders } = environment;
  const send = (postId: string) =>
    stampede(service.baseUrl, `/v1/posts/${postId}`, LIVENESS_PATH, concurrency, { ...authHeaders });
  await send(warmUpPostId);
  const before = await countersBefore(service.baseUrl, database);
  const cpuBefore = service.cpuSeconds();
  const measured = await send(coldPostId);
  const cpuSeconds = service.cpuSeconds() - cpuBefore;
  const after = await countersAfter(service.baseUrl, database);
  const databaseQueries = after.transactions - before.transactions;
  const ok = measured.statusCodes['200'] ?? 0;
  return {
    result: {
      name: 'stampede',
      description: `${concurrency} concurrent GETs of one cold post`,
      requests: measured.requests,
      requestsPerSecond: measured.requests / (measured.wallMs / 1000),
      latency: measured.latency,
      errors: measured.requests - ok,
      cacheHitRatio: 1 - (after.loads - before.loads) / (after.lookups - before.lookups),
      dbQueriesPerRequest: databaseQueries / measured.requests,
      rssMiB: service.rssMiB(),
      cpuMicrosPerRequest: cpuMicrosPerRequest(cpuSeconds, measured.requests),
    },
    figures: {
      concurrency,
      databaseQueries,
      cacheLoads: after.loads - before.loads,
      statusCodes: measured.statusCodes,
    },
  };
}
