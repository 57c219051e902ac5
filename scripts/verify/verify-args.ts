// The command line of `npm run verify`: the same `-c env=<name>` as `cdk deploy`, so the deploy command can
// be reused as is, or `--env <name>`.
import { DEFAULT_ENVIRONMENT } from '../../infra/config/platform-config';

/** How to call the command, printed with every usage error. */
export const USAGE = 'usage: npm run verify -- [-c env=<name> | --env <name>]';

/** A command line that cannot be run; the CLI exits 2 on it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the command line asks for. */
export type VerifyArgs = { readonly help: true } | { readonly help: false; readonly envName: string };

/** Parses the arguments after `--`; the environment name itself is checked by loadPlatformConfig. */
export function parseVerifyArgs(argv: readonly string[]): VerifyArgs {
  let envName: string | undefined;
  const setEnv = (value: string | undefined) => {
    if (!value) throw new UsageError('missing environment name');
    if (envName !== undefined && envName !== value) {
      throw new UsageError(`two environments given: ${envName} and ${value}`);
    }
    envName = value;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--env') {
      setEnv(argv[++i]);
    } else if (arg.startsWith('--env=')) {
      setEnv(arg.slice('--env='.length));
    } else if (arg === '-c' || arg === '--context') {
      setEnv(contextEnv(argv[++i]));
    } else if (arg.startsWith('-c') && arg.length > 2) {
      // `-cenv=dev` and `-c=env=dev`, as the CDK CLI's parser accepts them.
      setEnv(contextEnv(arg.slice(2).replace(/^=/, '')));
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  return { help: false, envName: envName ?? DEFAULT_ENVIRONMENT };
}

/** The value of `env=<name>`; any other context key is refused, since nothing here would read it. */
function contextEnv(pair: string | undefined): string | undefined {
  if (pair === undefined) throw new UsageError('-c needs env=<name>');
  const [key, ...value] = pair.split('=');
  if (key !== 'env' || value.length === 0) {
    throw new UsageError(`only the context key env is read, got '${pair}'`);
  }
  return value.join('=');
}
