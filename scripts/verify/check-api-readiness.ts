// Check 5: the whole path answers, from the public name through CloudFront, the load balancer and a pod to
// both database endpoints (what the readiness route checks).
import type { PlatformConfig } from '../../infra/config/platform-config';
import { READINESS_PATH } from '../../service/src/probe-paths';
import { CheckResult, failed, GLOBAL, passed } from './verify-result';

/** How long the readiness call may take before it counts as failed; the service answers it within a second. */
export const READINESS_TIMEOUT_MS = 10_000;

/** Characters of a failing answer's body shown, enough for the readiness route's `{"status","checks"}`. */
const BODY_EXCERPT = 200;

/** The public readiness URL of the environment. */
export function readinessUrl(config: PlatformConfig): string {
  return `https://${config.domain.apiDomainName}${READINESS_PATH}`;
}

/** Label of the readiness line. */
export function readinessLabel(config: PlatformConfig): string {
  return `cloudfront GET ${readinessUrl(config)}`;
}

/** Checks that GET `https://<apiDomainName>/health/ready` answers 200, through the given fetch (injected so tests stay offline). */
export async function checkApiReadiness(
  config: PlatformConfig,
  fetchFn: typeof fetch,
  timeoutMs: number = READINESS_TIMEOUT_MS,
): Promise<CheckResult> {
  // A redirect is not followed: a 301 to somewhere else is not this API being ready.
  const response = await fetchFn(readinessUrl(config), {
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status === 200) {
    await response.body?.cancel();
    return passed(GLOBAL, readinessLabel(config), '200');
  }
  const body = (await response.text()).replace(/\s+/g, ' ').trim().slice(0, BODY_EXCERPT);
  return failed(GLOBAL, readinessLabel(config), `answered ${response.status}${body ? `: ${body}` : ''}`);
}
