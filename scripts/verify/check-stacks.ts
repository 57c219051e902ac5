// Check 1: the stack exists and its last operation succeeded.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { PlatformStack } from './platform-stacks';
import { CheckResult, failed, passed } from './verify-result';

/**
 * Whether a stack status means the last deployment landed: `*_COMPLETE`, but not a rollback (the template was
 * refused and the old one restored) nor a deletion.
 */
export function isDeployedStatus(status: string): boolean {
  return status.endsWith('_COMPLETE') && !status.includes('ROLLBACK') && !status.startsWith('DELETE');
}

/** Label of a stack in the report: its CloudFormation name and the id `cdk deploy` prints. */
export function stackLabel(stack: PlatformStack): string {
  return `stack ${stack.stackName} (${stack.id})`;
}

/** Checks that a stack exists and is in a completed, non-rollback state (a missing stack is a ValidationError). */
export async function checkStack(
  cloudFormation: CloudFormationClient,
  stack: PlatformStack,
): Promise<CheckResult> {
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack.stackName }));
  const status = Stacks?.[0]?.StackStatus;
  if (status === undefined) return failed(stack.region, stackLabel(stack), 'not found');
  if (!isDeployedStatus(status)) {
    const reason = Stacks?.[0]?.StackStatusReason;
    return failed(stack.region, stackLabel(stack), reason ? `${status} (${reason})` : status);
  }
  return passed(stack.region, stackLabel(stack), status);
}
