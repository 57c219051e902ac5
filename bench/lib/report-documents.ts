import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { WorkloadConfig } from '../../infra/config/platform-config';
import type { CapacityRun } from './capacity-ramp';
import { BASELINE, describeRun, markdownTable, ratio, scenarioTable } from './report-table';
import type { RunInfo, ScenarioResult } from './scenario-result';
import type { StampedeFigures } from './stampede-run';
import type { StartupFigures } from './startup-comparison';
import { lastHealthyStep, type BreakingLimits } from './stepped-load';

/** Everything one bench run measured. */
export interface BenchReport {
  readonly info: RunInfo;
  readonly results: readonly ScenarioResult[];
  readonly halfPeak: {
    readonly rate: number;
    readonly p99Ms: number;
    readonly errors: number;
    /** p99 of the same paced load against bare node:http in the same run: the machine's and the load generator's part. */
    readonly baselineP99Ms: number;
  };
  readonly stampede: StampedeFigures;
  readonly startup: readonly StartupFigures[];
  readonly bundleSizes: Readonly<Record<string, number>>;
  readonly capacity: CapacityRun;
  readonly limits: BreakingLimits;
}

/** Text after this line in a generated document is written by hand and kept by every run. */
export const HAND_WRITTEN_MARKER = '<!-- Written by hand below this line: npm run bench keeps it. -->';

const check = (ok: boolean) => (ok ? 'met' : '**not met**');
const find = (report: BenchReport, name: string) => report.results.find((result) => result.name === name);

/** The target table of the issue, each with the figure measured and whether it was met. */
export function targetsTable(report: BenchReport): string {
  const baseline = find(report, BASELINE)?.requestsPerSecond;
  const hot = find(report, 'get-hot');
  const zipf = find(report, 'get-zipf');
  const hotRatio = hot && ratio(hot.requestsPerSecond, baseline);
  const bundle = report.startup.find((way) => way.how.startsWith('bundle'));
  const bundleMiB = (report.bundleSizes['server.js'] ?? 0) / 1024 / 1024;
  const errors = report.results.reduce((sum, result) => sum + result.errors, 0);
  const rows: [string, string, boolean][] = [
    [
      'get-hot ≥ 50% of baseline-http req/s',
      `${((hotRatio ?? 0) * 100).toFixed(1)}%`,
      (hotRatio ?? 0) >= 0.5,
    ],
    [
      'get-hot p99 < 5 ms at half its peak rate',
      `${report.halfPeak.p99Ms.toFixed(2)} ms at ${Math.round(report.halfPeak.rate)} req/s (baseline-http: ${report.halfPeak.baselineP99Ms.toFixed(2)} ms)`,
      report.halfPeak.p99Ms < 5,
    ],
    [
      'stampede: exactly 1 DB query',
      `${report.stampede.databaseQueries}`,
      report.stampede.databaseQueries === 1,
    ],
    [
      'get-zipf cache hit ratio ≥ 95%',
      `${((zipf?.cacheHitRatio ?? 0) * 100).toFixed(1)}%` +
        (zipf?.cacheHitCeiling === undefined
          ? ''
          : ` (ceiling in this run ${(zipf.cacheHitCeiling * 100).toFixed(1)}%)`),
      (zipf?.cacheHitRatio ?? 0) >= 0.95,
    ],
    [
      'ready < 300 ms from process start',
      `${bundle?.readyMs.toFixed(0)} ms`,
      (bundle?.readyMs ?? Infinity) < 300,
    ],
    ['bundle < 5 MB', `${bundleMiB.toFixed(2)} MiB`, bundleMiB < 5],
    ['zero errors in every scenario', `${errors}`, errors === 0],
  ];
  return markdownTable(
    ['target', 'measured', 'status'],
    rows.map(([target, measured, ok]) => [target, measured, check(ok)]),
  );
}

/** The start-up comparison table. */
export function startupTable(report: BenchReport): string {
  return markdownTable(
    ['how', 'command', 'ready ms (median)', 'idle RSS MiB', 'samples'],
    report.startup.map((way) => [
      way.how,
      `\`${way.command}\``,
      way.readyMs.toFixed(0),
      way.idleRssMiB.toFixed(0),
      String(way.samples),
    ]),
  );
}

/** The capacity ramp's steps. */
export function capacityTable(run: CapacityRun): string {
  return markdownTable(
    ['connections', 'req/s', 'p99 ms', 'errors', 'service CPU cores'],
    run.steps.map((step) => [
      String(step.connections),
      Math.round(step.achievedRate).toString(),
      step.p99Ms.toFixed(1),
      String(step.errors),
      step.serviceCores.toFixed(2),
    ]),
  );
}

/** The breaking point per core: the last healthy step's rate divided by the CPU cores the service used at it. */
export function requestsPerCore(report: Pick<BenchReport, 'capacity' | 'limits'>): number | undefined {
  const healthy = lastHealthyStep(report.capacity.steps, report.limits);
  return healthy && healthy.serviceCores > 0
    ? healthy.achievedRate / Math.max(healthy.serviceCores, 1)
    : undefined;
}

/** docs/benchmarks.md above the hand-written part. */
export function benchmarksMarkdown(report: BenchReport, chartFile: string): string {
  const zipf = find(report, 'get-zipf');
  const bundleRows = Object.entries(report.bundleSizes).map(([file, bytes]) => [
    file,
    `${(bytes / 1024).toFixed(0)} KiB`,
  ]);
  return [
    '<!-- The part above the hand-written marker is generated by `npm run bench`; do not edit it. -->',
    '# Benchmarks',
    '',
    describeRun(report.info),
    '',
    'Every figure comes from one run on one machine; compare the ratios to `baseline-http` (bare `node:http`, ' +
      'measured in the same run), not the absolute numbers, which move by ±20% on a shared machine. The service is ' +
      'the esbuild bundle (`node dist/service/server.js`) on real PostgreSQL (100 000 seeded posts) and Redis, ' +
      "logging at info, metrics and tracing on (no exporter, as deployed), the production pod's `NODE_OPTIONS`, rate " +
      'limits counted in Redis but set too high to trigger. **CPU µs/req** is the server process’s CPU time (user + ' +
      'system) per request over the measured run: unlike req/s it does not depend on what the load generator, which ' +
      'shares the machine, could send.',
    '',
    scenarioTable(report.results),
    '',
    `![requests/s and p99 latency per scenario](${chartFile})`,
    '',
    '- **cache hit**: share of post lookups that needed no database load (`cache_lookups_total` and ' +
      '`cache_loads_total` from `/metrics`, diffed around the measured run).',
    '- **DB q/req**: transactions in the bench database (`pg_stat_database`: `xact_commit + xact_rollback - sessions`, ' +
      'since each connection start is one; diffed) per request; each autocommit statement is one, a POST is one ' +
      'transaction of several statements.',
    ...(zipf?.cacheHitCeiling === undefined
      ? []
      : [
          `- **get-zipf ceiling**: ${((1 - zipf.cacheHitCeiling) * 100).toFixed(1)}% of the measured reads were the ` +
            'first read of their id since the scenario began, which no cache can answer: the hit ratio could not pass ' +
            `${(zipf.cacheHitCeiling * 100).toFixed(1)}% in this run, whatever the TTLs.`,
        ]),
    `- **stampede**: ${report.stampede.concurrency} concurrent GETs of one cold post made ` +
      `${report.stampede.databaseQueries} database quer${report.stampede.databaseQueries === 1 ? 'y' : 'ies'} ` +
      `(${report.stampede.cacheLoads} cache load); status codes ${JSON.stringify(report.stampede.statusCodes)}.`,
    `- **get-hot at half its peak** (${Math.round(report.halfPeak.rate)} req/s offered open-loop, evenly spaced, ` +
      `each request timed from when it was issued, waiting for a connection included): p99 ${report.halfPeak.p99Ms.toFixed(2)} ms, ` +
      `${report.halfPeak.errors} errors; the same load against baseline-http: p99 ${report.halfPeak.baselineP99Ms.toFixed(2)} ms.`,
    '',
    '## Targets',
    '',
    targetsTable(report),
    '',
    '## Start-up and scale-out',
    '',
    'Time from spawning the process to the first `200` from `/health/ready` (database up), then resident memory ' +
      'after one idle second.',
    '',
    startupTable(report),
    '',
    markdownTable(['bundle file', 'size'], bundleRows),
    '',
    'The bundle needs no `node_modules` at run time; the unbundled service needs the installed dependencies and ' +
      'compiles TypeScript on every start.',
    '',
    'Capacity (the stepped load and what the Kubernetes numbers derive from it) is in [capacity.md](capacity.md).',
    '',
  ].join('\n');
}

/** CPU cores of a Kubernetes CPU quantity (`250m`, `1`, `1.5`). */
export function cpuCores(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  if (!match) throw new Error(`CPU quantity '${quantity}' must be cores or millicores`);
  return Number(match[1]) / (match[2] === 'm' ? 1000 : 1);
}

/**
 * The requests/s one pod should average for the HPA: what its CPU request serves at the breaking point,
 * scaled by the CPU utilisation target, so the rate metric and the CPU metric ask for pods at the same load.
 */
export function derivedRequestsPerSecondPerPod(perCore: number, workload: WorkloadConfig): number {
  return perCore * cpuCores(workload.resources.cpuRequest) * (workload.targetCpuUtilizationPercent / 100);
}

/** docs/capacity.md above the hand-written part, with the HPA target derived for `workload`. */
export function capacityMarkdown(report: BenchReport, workload: WorkloadConfig): string {
  const perCore = requestsPerCore(report);
  const healthy = lastHealthyStep(report.capacity.steps, report.limits);
  const derived = perCore === undefined ? undefined : derivedRequestsPerSecondPerPod(perCore, workload);
  return [
    '<!-- The part above the hand-written marker is generated by `npm run bench`; do not edit it. -->',
    '# Capacity',
    '',
    describeRun(report.info),
    '',
    `A stepped load of \`get-zipf\` reads (Zipf over 100 000 posts, the realistic read mix) on the bundled service: ` +
      'each step keeps more connections busy (closed loop: a connection sends its next request when the last is ' +
      'answered), so the rate climbs until the service saturates and latency grows; the ramp stops at the first ' +
      `step with p99 > ${report.limits.maxP99Ms} ms or errors > ${(report.limits.maxErrorRatio * 100).toFixed(1)}%. ` +
      "(Not autocannon's rate limit: it releases each second's requests in one burst, and the p99 then measures " +
      'the queue of that burst, not the service.)',
    '',
    capacityTable(report.capacity),
    '',
    `Stopped by: ${report.capacity.stopReason ?? 'none (the highest rate held)'}.`,
    '',
    healthy
      ? `**Breaking point: ${Math.round(healthy.achievedRate)} req/s on ${healthy.serviceCores.toFixed(2)} CPU cores of the ` +
        `service process: P = ${Math.round(perCore ?? 0)} req/s per core** (one Node.js process uses at most about one ` +
        'core for JavaScript; the rest is GC and I/O threads, so the rate is divided by at least one core).'
      : '**No healthy step**: even the first rate broke the limits.',
    '',
    markdownTable(
      ['derived from this run', 'value'],
      [
        ['CPU request per pod (platform config)', workload.resources.cpuRequest],
        ['HPA CPU utilisation target (platform config)', `${workload.targetCpuUtilizationPercent}%`],
        [
          'req/s per pod at that utilisation = per-core rate × request × target',
          derived === undefined ? '–' : Math.round(derived).toString(),
        ],
        ['`targetRequestsPerSecondPerPod` configured', String(workload.targetRequestsPerSecondPerPod)],
      ],
    ),
    '',
  ].join('\n');
}

/**
 * Writes `generated` followed by the hand-written part the file already had (or `defaultHandWritten`),
 * passed through `format` (the bench gives prettier with the repository's settings, so lint accepts it).
 */
export async function writeKeepingHandWritten(
  file: string,
  generated: string,
  defaultHandWritten: string,
  format: (text: string, file: string) => Promise<string> = async (text) => text,
): Promise<void> {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const index = existing.indexOf(HAND_WRITTEN_MARKER);
  const handWritten =
    index >= 0 ? existing.slice(index + HAND_WRITTEN_MARKER.length) : `\n\n${defaultHandWritten}`;
  writeFileSync(file, await format(`${generated}\n${HAND_WRITTEN_MARKER}${handWritten}`, file));
}
