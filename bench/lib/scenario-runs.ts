import path from 'node:path';
import { compileCacheEnv } from '../../scripts/build-service';
import { READINESS_PATH } from '../../service/src/probe-paths';
import type { BenchEnvironment } from './bench-environment';
import { cpuMicrosPerRequest, freePort, startChildServer, type ChildServer } from './child-server';
import { runLoad, type LoadResult } from './load-runner';
import { runPacedLoad, type PacedLoadProps } from './paced-load';
import type { ScenarioResult } from './scenario-result';
import type { ServiceScenario } from './service-scenarios';
import { countersAfter, countersBefore, hitRatio } from './service-probe';
import { serviceEnv } from './service-env';

const BASELINES = path.join(__dirname, '..', 'baselines');

/** Starts a bare hello-world server (`baselines/<file>`) in its own process; it answers `GET /`. */
export async function startBaseline(environment: BenchEnvironment, file: string): Promise<ChildServer> {
  const port = await freePort();
  return startChildServer(port, {
    nodeArgs: ['--import', 'tsx', path.join(BASELINES, file), String(port)],
    env: { PATH: environment.options.path, NODE_ENV: 'production' },
    readyPath: '/',
  });
}

/** The same open-loop load against a bare server (after a warm-up): the floor of a paced measurement on this machine. */
export async function runPacedBaseline(
  environment: BenchEnvironment,
  file: string,
  load: Omit<PacedLoadProps, 'url' | 'headers'>,
): Promise<LoadResult> {
  const { options } = environment;
  const server = await startBaseline(environment, file);
  try {
    const url = `${server.baseUrl}/`;
    await runLoad({ url, connections: options.connections, durationSeconds: options.warmupSeconds });
    return await runPacedLoad({ ...load, url });
  } finally {
    await server.stop();
  }
}

/** Runs a bare hello-world server (`baselines/<file>`) in its own process: warm-up, then the measured run. */
export async function runBaseline(
  environment: BenchEnvironment,
  name: string,
  file: string,
): Promise<ScenarioResult> {
  const { options } = environment;
  const server = await startBaseline(environment, file);
  try {
    const load = { url: `${server.baseUrl}/`, connections: options.connections };
    await runLoad({ ...load, durationSeconds: options.warmupSeconds });
    const cpuBefore = server.cpuSeconds();
    const measured = await runLoad({ ...load, durationSeconds: options.durationSeconds });
    return toResult(name, `GET / on bare ${file.replace(/\.ts$/, '')}`, measured, server, cpuBefore);
  } finally {
    await server.stop();
  }
}

/**
 * Starts the bundled service (`node dist/service/server.js`) against the bench database and Redis prefix, with the
 * module compile cache beside the bundle as the image has it (`compileCache: false` leaves it off).
 */
export async function startService(
  environment: BenchEnvironment,
  nodeFlags: string[] = [],
  { compileCache = true }: { readonly compileCache?: boolean } = {},
): Promise<ChildServer> {
  const port = await freePort();
  return startChildServer(port, {
    nodeArgs: [...nodeFlags, environment.serverBundle],
    env: {
      PATH: environment.options.path,
      ...serviceEnv({
        port,
        databaseUrl: environment.database.url,
        redisUrl: environment.options.redisUrl,
        redisKeyPrefix: environment.redisKeyPrefix,
      }),
      ...(compileCache ? compileCacheEnv(path.dirname(environment.serverBundle)) : {}),
      ...environment.options.serviceEnvOverrides,
    },
    readyPath: READINESS_PATH,
  });
}

/** Warm-up (`warmupSeconds`, the run's by default), then the measured run of `scenario`, with the cache and database counters diffed around it. */
export async function runServiceScenario(
  environment: BenchEnvironment,
  service: ChildServer,
  scenario: ServiceScenario,
  warmupSeconds = environment.options.warmupSeconds,
): Promise<ScenarioResult> {
  const { options, database, authHeaders } = environment;
  const load = {
    url: `${service.baseUrl}/`,
    connections: options.connections,
    headers: authHeaders,
    requests: scenario.requests,
  };
  await runLoad({ ...load, durationSeconds: warmupSeconds });
  const before = await countersBefore(service.baseUrl, database);
  scenario.firstReads?.startWindow();
  const cpuBefore = service.cpuSeconds();
  const measured = await runLoad({ ...load, durationSeconds: options.durationSeconds });
  const cpuAfter = service.cpuSeconds();
  const after = await countersAfter(service.baseUrl, database);
  if (measured.errors > 0) {
    process.stdout.write(`  ${scenario.name}: status codes ${JSON.stringify(measured.statusCodes)}\n`);
  }
  return {
    ...toResult(scenario.name, scenario.description, measured, service, cpuBefore, cpuAfter),
    cacheHitRatio: hitRatio(before, after),
    ...(scenario.firstReads ? { cacheHitCeiling: 1 - scenario.firstReads.firstReadShare() } : {}),
    dbQueriesPerRequest: (after.transactions - before.transactions) / measured.requests,
  };
}

/** A scenario's row; CPU is counted from `cpuBefore` (taken as the measured run began) to `cpuAfter`, by default now. */
function toResult(
  name: string,
  description: string,
  measured: LoadResult,
  server: ChildServer,
  cpuBefore: number,
  cpuAfter = server.cpuSeconds(),
): ScenarioResult {
  return {
    name,
    description,
    requests: measured.requests,
    requestsPerSecond: measured.requestsPerSecond,
    latency: measured.latency,
    errors: measured.errors,
    rssMiB: server.rssMiB(),
    cpuMicrosPerRequest: cpuMicrosPerRequest(cpuAfter - cpuBefore, measured.requests),
  };
}
