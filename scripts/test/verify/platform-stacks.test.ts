import { App, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../../infra/config/platform-config';
import { definePlatform } from '../../../infra/lib/platform';
import { platformStacks } from '../../verify/platform-stacks';
import { RESOURCE_TYPES } from '../../verify/stack-resources';

/** The CloudFormation resources of one type a stack defines (not those of its nested stacks). */
function resourcesOfType(stack: Stack, type: string): CfnResource[] {
  return stack.node
    .findAll()
    .filter(
      (construct): construct is CfnResource =>
        CfnResource.isCfnResource(construct) &&
        construct.cfnResourceType === type &&
        Stack.of(construct) === stack,
    );
}

// The stacks are defined by the same function the CDK app (infra/bin/app.ts) calls; constructing them
// is enough to read their names, so no synthesis (and no cdk-nag run) is needed here.
describe.each(ENVIRONMENT_NAMES)('the stacks of %s', (envName) => {
  const config = loadPlatformConfig(envName);
  const defined = definePlatform(new App(), config);
  const stacks = [defined.primary, ...defined.secondaries, defined.edge];

  test('are the ones the CDK app defines: same ids, CloudFormation names, regions and order', () => {
    // WHEN
    const computed = platformStacks(config);
    // THEN
    expect(computed.map(({ id, stackName, region }) => ({ id, stackName, region }))).toEqual(
      stacks.map((stack) => ({ id: stack.node.id, stackName: stack.stackName, region: stack.region })),
    );
    expect(computed.map((stack) => stack.kind)).toEqual([
      ...stacks.slice(0, -1).map(() => 'regional'),
      'edge',
    ]);
  });

  test('hold the resources the checks look for, in the stack itself rather than a nested one', () => {
    // THEN every region has a target group and a Route 53 health check to find
    for (const stack of [defined.primary, ...defined.secondaries]) {
      expect(resourcesOfType(stack, RESOURCE_TYPES.targetGroup)).toHaveLength(1);
      expect(resourcesOfType(stack, RESOURCE_TYPES.healthCheck)).toHaveLength(1);
    }
    // THEN every stack has alarms, each with a fixed name: DescribeAlarms is asked by their physical ids
    for (const stack of stacks) {
      const alarms = resourcesOfType(stack, RESOURCE_TYPES.alarm) as CfnAlarm[];
      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) {
        expect(alarm.alarmName).toEqual(expect.any(String));
        expect(Token.isUnresolved(alarm.alarmName)).toBe(false);
      }
    }
  });
});
