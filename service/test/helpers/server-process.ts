import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The service running as a real child process, the way production starts it. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  /** Every line the process wrote to stdout (pino JSON). */
  readonly logs: string[];
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

const SERVER_ENTRY = path.resolve(__dirname, '..', '..', 'src', 'server.ts');

/** Starts the server (`server.ts` under tsx, or a bundled `.js`) on an ephemeral port and waits until it listens. */
export async function startServerProcess(
  env: Record<string, string>,
  entry = SERVER_ENTRY,
): Promise<ServerProcess> {
  const args = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logs.push(line);
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) resolve(match[1]);
      }
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exited.then((code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
  return { child, baseUrl, logs, exited };
}
