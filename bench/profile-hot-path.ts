// `npm run bench:profile`: get-hot against the bundle under `node --cpu-prof`, then the biggest self-time costs
// by function and by package (mapped through the bundle's source map).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { withBenchEnvironment } from './lib/bench-environment';
import { parseBenchOptions } from './lib/bench-options';
import { cpuMicrosPerRequest } from './lib/child-server';
import { summarizeProfile, type CpuProfile } from './lib/cpu-profile-summary';
import { runLoad } from './lib/load-runner';
import { markdownTable } from './lib/report-table';
import { startService } from './lib/scenario-runs';

async function main(): Promise<void> {
  const options = { ...parseBenchOptions(process.argv.slice(2), process.env), posts: 1000 };
  const profileDir = mkdtempSync(path.join(tmpdir(), 'bench-cpu-prof-'));
  // The measured run only: start-up (module compilation, schema compilation) and the warm-up are left out.
  const windowUs: [number, number] = [0, Number.MAX_SAFE_INTEGER];
  await withBenchEnvironment(options, async (environment) => {
    const service = await startService(environment, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
    try {
      const load = {
        url: `${service.baseUrl}/v1/posts/${environment.seeded.postIds[0]}`,
        connections: options.connections,
        headers: environment.authHeaders,
      };
      await runLoad({ ...load, durationSeconds: options.warmupSeconds });
      windowUs[0] = Number(process.hrtime.bigint() / 1000n);
      const cpuBefore = service.cpuSeconds();
      const measured = await runLoad({ ...load, durationSeconds: options.durationSeconds });
      const cpuPerRequestUs = cpuMicrosPerRequest(service.cpuSeconds() - cpuBefore, measured.requests);
      windowUs[1] = Number(process.hrtime.bigint() / 1000n);
      // CPU time per request is steadier than req/s on a shared machine: other processes slow the clock, not the work.
      process.stdout.write(
        `get-hot under --cpu-prof: ${Math.round(measured.requestsPerSecond)} req/s, p99 ${measured.latency.p99.toFixed(2)} ms, ` +
          `${cpuPerRequestUs.toFixed(0)} µs of service CPU per request\n`,
      );
    } finally {
      // SIGTERM: the service exits by itself, which is when V8 writes the profile.
      await service.stop();
    }
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written in ${profileDir}`);
    const profile = JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile;
    const sourceMap = JSON.parse(readFileSync(`${environment.serverBundle}.map`, 'utf8'));
    const summary = summarizeProfile(profile, {
      bundle: { url: pathToFileURL(environment.serverBundle).href, sourceMap },
      windowUs,
    });
    const rows = (costs: typeof summary.byOrigin) =>
      costs.map((cost) => [cost.name, `${(cost.share * 100).toFixed(1)}%`]);
    process.stdout.write(`\nprofile: ${path.join(profileDir, file)} (${summary.samples} samples)\n\n`);
    process.stdout.write(`${markdownTable(['origin', 'self time'], rows(summary.byOrigin))}\n\n`);
    process.stdout.write(`${markdownTable(['function · origin', 'self time'], rows(summary.byFunction))}\n`);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
