// Where the checks find the deployed resources: in the stacks themselves, by CloudFormation resource type,
// so that no physical name (target group ARN, health check id) has to be guessed or configured.
import {
  CloudFormationClient,
  ListStackResourcesCommand,
  StackResourceSummary,
} from '@aws-sdk/client-cloudformation';

/** CloudFormation types of the resources the checks look at. */
export const RESOURCE_TYPES = {
  targetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
  healthCheck: 'AWS::Route53::HealthCheck',
  alarm: 'AWS::CloudWatch::Alarm',
  topic: 'AWS::SNS::Topic',
} as const;

/** Every resource of a stack, following ListStackResources' pages (100 resources each). */
export async function listStackResources(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken }),
    );
    resources.push(...(page.StackResourceSummaries ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return resources;
}

/** Physical ids of a stack's resources of one type, skipping any not created (a failed or deleted one has none). */
export function physicalIdsOfType(resources: readonly StackResourceSummary[], type: string): string[] {
  return resources
    .filter((resource) => resource.ResourceType === type && resource.PhysicalResourceId)
    .map((resource) => resource.PhysicalResourceId as string);
}
