// Check 3: the region's load balancer has a pod to send to. The target group is found in the stack, so its
// generated name never has to be known.
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { physicalIdsOfType, RESOURCE_TYPES } from './stack-resources';
import { CheckResult, failed, passed, settle } from './verify-result';

/** Unhealthy targets named in a FAIL line, so the line stays readable with many pods. */
const LISTED_UNHEALTHY = 3;

/** Label of a target group's line: its name, the part of the ARN the console shows. */
export function targetGroupLabel(arn: string): string {
  return `target group ${arn.split('/')[1] ?? arn}`;
}

/** Checks every target group of a stack (none is a failure: the region could not serve) for a healthy target. */
export async function checkTargetGroups(
  elb: ElasticLoadBalancingV2Client,
  region: string,
  resources: readonly StackResourceSummary[],
): Promise<CheckResult[]> {
  const arns = physicalIdsOfType(resources, RESOURCE_TYPES.targetGroup);
  if (arns.length === 0) return [failed(region, 'target group', 'none in the stack')];
  const results = await Promise.all(
    arns.map((arn) => settle(region, targetGroupLabel(arn), () => checkTargetGroup(elb, region, arn))),
  );
  return results.flat();
}

/** Checks that at least one target of the group is healthy, naming the first unhealthy ones and why. */
export async function checkTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  region: string,
  arn: string,
): Promise<CheckResult> {
  const { TargetHealthDescriptions = [] } = await elb.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: arn }),
  );
  const healthy = TargetHealthDescriptions.filter((target) => target.TargetHealth?.State === 'healthy');
  const counts = `${healthy.length} of ${TargetHealthDescriptions.length} targets healthy`;
  if (healthy.length > 0) return passed(region, targetGroupLabel(arn), counts);
  const unhealthy = TargetHealthDescriptions.slice(0, LISTED_UNHEALTHY).map((target) => {
    const { Id, Port } = target.Target ?? {};
    const { State, Reason } = target.TargetHealth ?? {};
    return `${Id}:${Port} ${State}${Reason ? ` (${Reason})` : ''}`;
  });
  return failed(
    region,
    targetGroupLabel(arn),
    unhealthy.length > 0 ? `${counts}; ${unhealthy.join(', ')}` : counts,
  );
}
