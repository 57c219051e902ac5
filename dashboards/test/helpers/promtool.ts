// Runs the real promtool. A missing promtool fails the suite with the install command: rules that were
// never checked must not pass as if they had been.
import { spawn, spawnSync } from 'node:child_process';

/** How to get promtool on the machines this repository is developed and tested on. */
export const PROMTOOL_INSTALL = 'apt-get install -y prometheus';

/** Throws, naming the install command, unless `promtool` runs. */
export function requirePromtool(): void {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`promtool is not installed or does not run: install it with \`${PROMTOOL_INSTALL}\``);
  }
}

/** Output of one promtool run. */
export interface PromtoolResult {
  /** Exit code. */
  readonly code: number | null;
  /** Standard output and error, interleaved as promtool wrote them. */
  readonly output: string;
}

/** Runs promtool with `args` in `cwd` and resolves with its exit code and output. */
export function runPromtool(args: readonly string[], cwd: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', [...args], { cwd });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
