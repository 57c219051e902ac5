import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The outbox relay running as a real child process, the way its Deployment starts it. */
export interface RelayProcess {
  readonly child: ChildProcess;
  /** Base URL of its health and metrics listener. */
  readonly healthUrl: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

const RELAY_ENTRY = path.resolve(__dirname, '..', '..', 'src', 'relay.ts');

/** Starts the relay (`relay.ts` under tsx, or a bundled `.js`) with its listener on an ephemeral port. */
export async function startRelayProcess(
  env: Record<string, string>,
  entry = RELAY_ENTRY,
): Promise<RelayProcess> {
  const args = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', RELAY_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const healthUrl = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(buffered);
      if (match) resolve(match[1]);
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exited.then((code) => reject(new Error(`relay exited with ${code} before listening: ${stderr}`)));
  });
  return { child, healthUrl, exited };
}
