// The whole command, minus the process: arguments in, lines out, an exit code back. scripts/verify.ts binds
// it to the process; tests call it with recorded AWS answers and a fake fetch.
import { loadPlatformConfig, PlatformConfig } from '../../infra/config/platform-config';
import { runVerify, VerifyDependencies } from './run-verify';
import { parseVerifyArgs, USAGE } from './verify-args';
import { EXIT_USAGE, exitCodeOf, formatResult, formatSummary } from './verify-report';
import { describeError } from './verify-result';

/** Where the command writes, one line per call. */
export interface VerifyOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Parses the arguments, runs every check, prints one line per check and a summary, and returns the exit code. */
export async function verifyCommand(
  argv: readonly string[],
  deps: VerifyDependencies,
  output: VerifyOutput,
): Promise<number> {
  let config: PlatformConfig;
  try {
    const args = parseVerifyArgs(argv);
    if (args.help) {
      output.out(USAGE);
      return 0;
    }
    // Throws naming the environments there are, when the name is not one of them.
    config = loadPlatformConfig(args.envName);
  } catch (error) {
    output.err(`verify: ${error instanceof Error ? error.message : describeError(error)}`);
    output.err(USAGE);
    return EXIT_USAGE;
  }
  const results = await runVerify(config, deps);
  for (const result of results) output.out(formatResult(result));
  output.out(formatSummary(config.envName, results));
  return exitCodeOf(results);
}
