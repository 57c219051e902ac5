import path from 'node:path';
import type { BenchEnvironment } from './bench-environment';
import { freePort, startChildServer } from './child-server';
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
/** The floor on this machine: a bare node:http server answering 200, started with no loader and no bundle. */
const BARE_NODE_SERVER =
  "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')";
const IDLE_SETTLE_MS = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Times process start to the first 200 on `/health/ready`, then RSS after 1 s idle: the bundle (with and without the image's compile cache) against tsx. */
export async function compareStartup(environment: BenchEnvironment): Promise<StartupFigures[]> {
  const ways = [
    {
      how: 'bare node:http (floor)',
      command: 'node -e <hello server>',
      flags: ['-e', BARE_NODE_SERVER],
      entry: '',
      compileCache: false,
    },
    {
      how: 'bundle, as the image runs it',
      command: 'NODE_COMPILE_CACHE=… node dist/service/server.js',
      flags: [] as string[],
      entry: undefined as string | undefined,
      compileCache: true,
    },
    {
      how: 'bundle, no compile cache',
      command: 'node dist/service/server.js',
      flags: [] as string[],
      entry: undefined as string | undefined,
      compileCache: false,
    },
    {
      how: 'TypeScript (tsx)',
      command: 'node --import tsx service/src/server.ts',
      flags: ['--import', 'tsx'],
      entry: SERVICE_SOURCE,
      compileCache: false,
    },
  ];
  const figures: StartupFigures[] = [];
  for (const way of ways) {
    const ready: number[] = [];
    const rss: number[] = [];
    for (let sample = 0; sample < environment.options.startupSamples; sample++) {
      const entry = way.entry ?? environment.serverBundle;
      const service =
        entry === ''
          ? await startFloor(environment, way.flags)
          : await startService({ ...environment, serverBundle: entry }, way.flags, {
              compileCache: way.compileCache,
            });
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

async function startFloor(environment: BenchEnvironment, flags: string[]) {
  const port = await freePort();
  return startChildServer(port, {
    nodeArgs: flags,
    env: { PATH: environment.options.path, PORT: String(port) },
    readyPath: '/health/ready',
  });
}
