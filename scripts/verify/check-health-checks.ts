// Check 4: Route 53 would route to the region. A health check is healthy when most of its checkers say so,
// which is how Route 53 itself decides.
import { GetHealthCheckStatusCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CheckResult, failed, passed } from './verify-result';

/** Label of a health check's line. */
export function healthCheckLabel(healthCheckId: string): string {
  return `route 53 health check ${healthCheckId}`;
}

/** Checks that a majority of a health check's checkers report a status starting with `Success`. */
export async function checkHealthCheck(
  route53: Route53Client,
  region: string,
  healthCheckId: string,
): Promise<CheckResult> {
  const { HealthCheckObservations = [] } = await route53.send(
    new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }),
  );
  const statuses = HealthCheckObservations.map((observation) => observation.StatusReport?.Status ?? '');
  const succeeding = statuses.filter((status) => status.startsWith('Success'));
  const counts = `${succeeding.length} of ${statuses.length} checkers report Success`;
  if (succeeding.length > statuses.length / 2) return passed(region, healthCheckLabel(healthCheckId), counts);
  const firstFailure = statuses.find((status) => !status.startsWith('Success'));
  return failed(
    region,
    healthCheckLabel(healthCheckId),
    firstFailure ? `${counts}; ${firstFailure}` : counts,
  );
}
