// How a run is printed: one line per check, then a summary; and the exit code it ends with.
import type { CheckResult } from './verify-result';

/** Exit code of a run with a failed check. */
export const EXIT_FAILED = 1;
/** Exit code of a command line that cannot be run. */
export const EXIT_USAGE = 2;

/** `ok   <region> <name> <detail>` or `FAIL <region> <name>: <detail>`. */
export function formatResult(result: CheckResult): string {
  return result.ok
    ? `ok   ${result.region} ${result.name} ${result.detail}`
    : `FAIL ${result.region} ${result.name}: ${result.detail}`;
}

/** The last line: how many checks ran and failed in which environment. */
export function formatSummary(envName: string, results: readonly CheckResult[]): string {
  const failures = results.filter((result) => !result.ok).length;
  const verdict = failures === 0 ? 'all passed' : `${failures} failed`;
  return `${envName}: ${results.length} checks, ${verdict}`;
}

/** 0 when every check passed, else {@link EXIT_FAILED}. */
export function exitCodeOf(results: readonly CheckResult[]): number {
  return results.every((result) => result.ok) ? 0 : EXIT_FAILED;
}
