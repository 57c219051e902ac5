import path from 'node:path';
import type { BenchEnvironment } from './bench-environment';
import { startService } from './scenario-runs';

/** Start-up figures of one way of running the service (medians over the samples). */
export interface StartupFigures {
  readonly how: string;
  readonly command: string;
  readonly readyMs: number;
  readonly idleRssMiB: number;
  readonly samples: number;
}

const SERVICE_SOURCE = path.join(__dirname, '..', '..', 'service', 'src', 'server.ts');
const IDLE_SETTLE_MS = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Times process start to the first 200 on `/health/ready`, then RSS after 1 s idle: the bundle against tsx. */
export async function compareStartup(environment: BenchEnvironment): Promise<StartupFigures[]> {
  const ways = [
    {
      how: 'bundle (esbuild)',
      command: 'node dist/service/server.js',
      flags: [] as string[],
      entry: undefined,
    },
    {
      how: 'TypeScript (tsx)',
      command: 'node --import tsx service/src/server.ts',
      flags: ['--import', 'tsx'],
      entry: SERVICE_SOURCE,
    },
  ];
  const figures: StartupFigures[] = [];
  for (const way of ways) {
    const ready: number[] = [];
    const rss: number[] = [];
    for (let sample = 0; sample < environment.options.startupSamples; sample++) {
      const bundleOrSource = way.entry ? { ...environment, serverBundle: way.entry } : environment;
      const service = await startService(bundleOrSource, way.flags);
      ready.push(service.readyAfterMs);
      await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
      rss.push(service.rssMiB());
      await service.stop();
    }
    figures.push({
      how: way.how,
      command: way.command,
      readyMs: median(ready),
      idleRssMiB: median(rss),
      samples: ready.length,
    });
  }
  return figures;
}
