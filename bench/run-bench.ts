// `npm run bench [-- --quick] [-- --no-write]`: every scenario, the start-up comparison and the capacity ramp,
// printed and written to docs/benchmarks.md (+ PNG chart) and docs/capacity.md.
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadPlatformConfig } from '../infra/config/platform-config';
import { withBenchEnvironment } from './lib/bench-environment';
import { parseBenchOptions } from './lib/bench-options';
import { runCapacityRamp } from './lib/capacity-ramp';
import { chartSvg } from './lib/chart-svg';
import { svgToPng } from './lib/chart-png';
import { formatWithPrettier } from './lib/format-markdown';
import { runPacedLoad } from './lib/paced-load';
import {
  benchmarksMarkdown,
  capacityMarkdown,
  startupTable,
  targetsTable,
  writeKeepingHandWritten,
  capacityTable,
  type BenchReport,
} from './lib/report-documents';
import { describeRun, scenarioTable } from './lib/report-table';
import type { ScenarioResult } from './lib/scenario-result';
import { runBaseline, runPacedBaseline, runServiceScenario, startService } from './lib/scenario-runs';
import { createPosts, getHot, getZipf, listPages } from './lib/service-scenarios';
import { runStampede } from './lib/stampede-run';
import { cacheSteadyStateSeconds } from './lib/service-env';
import { compareStartup } from './lib/startup-comparison';
import type { BreakingLimits } from './lib/stepped-load';

const DOCS = path.join(__dirname, '..', 'docs');
/** Posts kept out of get-zipf so the stampedes find them cold. */
const RESERVED_COLD_POSTS = 2;
/** The GET latency SLO threshold and a 0.1% error budget per step. */
const LIMITS: BreakingLimits = { maxP99Ms: 200, maxErrorRatio: 0.001, minAchievedShare: 0.9 };

const log = (message: string) => process.stdout.write(`${message}\n`);

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  const startedAt = new Date();
  const loadAverage = loadavg()[0];
  const report = await withBenchEnvironment(options, async (environment): Promise<BenchReport> => {
    const { postIds } = environment.seeded;
    const readable = postIds.slice(0, postIds.length - RESERVED_COLD_POSTS);
    const [warmColdPost, coldPost] = postIds.slice(-RESERVED_COLD_POSTS);
    const results: ScenarioResult[] = [];
    const record = (result: ScenarioResult) => {
      results.push(result);
      log(
        `  ${result.name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.latency.p99.toFixed(2)} ms, ${result.errors} errors`,
      );
    };

    log('baselines ...');
    record(await runBaseline(environment, 'baseline-http', 'http-hello.ts'));
    record(await runBaseline(environment, 'baseline-fastify', 'fastify-hello.ts'));

    log('service scenarios (bundle) ...');
    const service = await startService(environment);
    try {
      const hot = await runServiceScenario(environment, service, getHot(readable[0]));
      record(hot);
      // A full run measures get-zipf in the cache's steady state, not in the first seconds of a cold cache,
      // where most reads are an id's first and must miss; a quick run has no time for that and says so.
      const zipfWarmupSeconds =
        options.mode === 'quick'
          ? options.warmupSeconds
          : Math.max(options.warmupSeconds, cacheSteadyStateSeconds(service.env));
      log(`  get-zipf warm-up: ${zipfWarmupSeconds} s`);
      const zipf = await runServiceScenario(
        environment,
        service,
        getZipf(readable, options.zipfExponent, 42),
        zipfWarmupSeconds,
      );
      record(zipf);
      record(await runServiceScenario(environment, service, listPages()));
      record(await runServiceScenario(environment, service, createPosts()));
      const stampede = await runStampede(environment, service, warmColdPost, coldPost);
      record(stampede.result);

      const halfRate = Math.round(hot.requestsPerSecond / 2);
      const paced = {
        ratePerSecond: halfRate,
        durationSeconds: options.durationSeconds,
        maxConnections: options.connections,
      };
      const half = await runPacedLoad({
        ...paced,
        url: `${service.baseUrl}/v1/posts/${readable[0]}`,
        headers: environment.authHeaders,
      });
      // What the same load measures against bare node:http: the part of the p99 that is the machine's.
      const halfFloor = await runPacedBaseline(environment, 'http-hello.ts', paced);
      log(
        `  get-hot at ${halfRate} req/s: p99 ${half.latency.p99.toFixed(2)} ms ` +
          `(baseline-http at the same rate: ${halfFloor.latency.p99.toFixed(2)} ms)`,
      );

      log('capacity ramp (get-zipf) ...');
      const capacity = await runCapacityRamp({
        service,
        headers: environment.authHeaders,
        requests: getZipf(readable, options.zipfExponent, 7).requests,
        stepSeconds: options.capacity.stepSeconds,
        startConnections: options.capacity.startConnections,
        factor: options.capacity.factor,
        limits: LIMITS,
      });
      await service.stop();

      log('start-up: bundle against tsx ...');
      const startup = await compareStartup(environment);
      return {
        info: {
          date: startedAt,
          cores: cpus().length,
          cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
          nodeVersion: process.versions.node,
          loadAverage,
          mode: options.mode,
          connections: options.connections,
          durationSeconds: options.durationSeconds,
        },
        results,
        halfPeak: {
          rate: halfRate,
          p99Ms: half.latency.p99,
          errors: half.errors,
          baselineP99Ms: halfFloor.latency.p99,
        },
        stampede: stampede.figures,
        startup,
        bundleSizes: environment.bundleSizes,
        capacity,
        limits: LIMITS,
      };
    } finally {
      await service.stop();
    }
  });

  log(`\n${describeRun(report.info)}\n`);
  log(scenarioTable(report.results));
  log(`\n${targetsTable(report)}\n\n${startupTable(report)}\n\n${capacityTable(report.capacity)}`);
  if (options.write) {
    const chart = chartSvg(
      report.results.map((result) => ({
        label: result.name,
        requestsPerSecond: result.requestsPerSecond,
        p99Ms: result.latency.p99,
      })),
      describeRun(report.info),
    );
    writeFileSync(path.join(DOCS, 'benchmarks.png'), svgToPng(chart));
    await writeKeepingHandWritten(
      path.join(DOCS, 'benchmarks.md'),
      benchmarksMarkdown(report, 'benchmarks.png'),
      '## Hot path profile\n\n(`npm run bench:profile` prints the biggest costs of get-hot.)\n',
      formatWithPrettier,
    );
    await writeKeepingHandWritten(
      path.join(DOCS, 'capacity.md'),
      capacityMarkdown(report, loadPlatformConfig('prod').workload),
      '## From the breaking point to Kubernetes numbers\n',
      formatWithPrettier,
    );
    log('\nwrote docs/benchmarks.md, docs/benchmarks.png and docs/capacity.md');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
