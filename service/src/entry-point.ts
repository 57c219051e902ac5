import { ConfigError } from './config';

/**
 * Runs a process's `main` with its configuration: an invalid configuration exits 1 with its message, a failed
 * start exits 1 with `failure` and the error.
 */
export function runEntryPoint<C>(
  loadConfig: () => C,
  main: (config: C) => Promise<void>,
  failure: string,
): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  main(config).catch((error: unknown) => {
    process.stderr.write(`${failure}: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
