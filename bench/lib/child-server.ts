import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** How to start one server process. */
export interface ChildServerProps {
  /** Arguments to `node` (flags and the entry file). */
  readonly nodeArgs: readonly string[];
  /** The complete environment of the process (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Path polled until it answers 200, for example `/health/ready`. */
  readonly readyPath: string;
  /** @default 20000 */
  readonly readyTimeoutMs?: number;
}

/** A server running as a child process, as production runs it. */
export interface ChildServer {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** The environment it was started with. */
  readonly env: Readonly<Record<string, string>>;
  /** Milliseconds from spawn to the first 200 on the ready path. */
  readonly readyAfterMs: number;
  /** Resident memory now, in MiB (Linux `/proc`). */
  rssMiB(): number;
  /** CPU seconds (user + system, all threads) the process has used so far. */
  cpuSeconds(): number;
  /** SIGTERM, then waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** Microseconds of server CPU per request, from the CPU seconds a server used while it answered `requests`. */
export function cpuMicrosPerRequest(cpuSeconds: number, requests: number): number {
  return (cpuSeconds / requests) * 1e6;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns `node` with `props`, polls the ready path every 2 ms and resolves once it answers 200. */
export async function startChildServer(port: number, props: ChildServerProps): Promise<ChildServer> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...props.nodeArgs], {
    env: { ...props.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = started + (props.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready on ${props.readyPath} in time: ${stderr}`);
    }
    const status = await fetch(`${baseUrl}${props.readyPath}`).then(
      (response) => response.arrayBuffer().then(() => response.status),
      () => 0,
    );
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const readyAfterMs = performance.now() - started;
  const pid = child.pid!;
  return {
    child,
    baseUrl,
    env: props.env,
    readyAfterMs,
    rssMiB: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024,
    cpuSeconds: () => {
      // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
