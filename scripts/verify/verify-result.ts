// What every check returns: one line of the report. A check never throws past `settle`, so one denied call
// or one missing resource is a FAIL line among the others, never a crash that hides the rest.

/** The outcome of one check, printed as one line. */
export interface CheckResult {
  /** Whether the check passed. */
  readonly ok: boolean;
  /** AWS region the checked resource lives in, or `global` for what spans regions. */
  readonly region: string;
  /** What was checked, for example `stack api-platform-dev-eu-west-1`. */
  readonly name: string;
  /** What was found: the state on success, the reason on failure. */
  readonly detail: string;
}

/** Region label of what belongs to no one region (the Aurora global cluster, CloudFront). */
export const GLOBAL = 'global';

/** A passed check. */
export function passed(region: string, name: string, detail: string): CheckResult {
  return { ok: true, region, name, detail };
}

/** A failed check. */
export function failed(region: string, name: string, detail: string): CheckResult {
  return { ok: false, region, name, detail };
}

/** `Name: message` of anything thrown, which for an SDK error names the AWS error code (AccessDenied, ...). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch hides the network reason (ENOTFOUND, ECONNREFUSED, ...) in `cause`.
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

/** Runs a check, turning anything it throws into one FAIL line for `region` and `name`. */
export async function settle(
  region: string,
  name: string,
  check: () => Promise<CheckResult | readonly CheckResult[]>,
): Promise<readonly CheckResult[]> {
  try {
    const result = await check();
    return Array.isArray(result) ? result : [result as CheckResult];
  } catch (error) {
    return [failed(region, name, describeError(error))];
  }
}
