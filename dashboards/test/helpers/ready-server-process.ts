// Starts a server of the Prometheus project (prometheus, alertmanager) on 127.0.0.1 and waits for its `/-/ready`
// endpoint, which both serve; stops it by its pid. One place for the spawn, the wait and the stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../../service/src/dev/free-port';

/** A started server. */
export interface ReadyServerProcess {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** How long a server may take to answer `/-/ready`. */
const READY_TIMEOUT_MS = 15_000;

/**
 * Spawns `command` with the arguments `argsFor(port)` builds for a free port, and resolves once `/-/ready` answers
 * 200; a server that exits first, or is not ready in time, is stopped and the error carries its standard error.
 */
export async function startReadyServer(
  command: string,
  argsFor: (port: number) => readonly string[],
): Promise<ReadyServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(command, [...argsFor(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => stopChild(child, exited);
  try {
    await waitUntilReady(command, url, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitUntilReady(
  command: string,
  url: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${stderr()}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${command} did not become ready within ${READY_TIMEOUT_MS / 1000} s: ${stderr()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
