import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LoadBalancerController } from '../../lib/load-balancer-controller';

const CDK_JSON = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8'));

describe('LoadBalancerController', () => {
  let template: Template;
  let targetGroupId: string;
  beforeAll(() => {
    // GIVEN
    const stack = new Stack(new App({ context: CDK_JSON.context }), 'TestStack', {
      env: { account: '111111111111', region: 'eu-west-1' },
    });
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
    const cluster = new eks.Cluster(stack, 'Cluster', {
      vpc,
      version: eks.KubernetesVersion.V1_33,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      kubectlProviderOptions: { kubectlLayer: new KubectlV33Layer(stack, 'KubectlLayer') },
    });
    const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'TargetGroup', {
      vpc,
      port: 3000,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
    });
    targetGroupId = stack.getLogicalId(targetGroup.node.defaultChild as elbv2.CfnTargetGroup);
    // WHEN
    new LoadBalancerController(stack, 'LoadBalancerController', { cluster, targetGroups: [targetGroup] });
    template = Template.fromStack(stack);
  });

  test('installs the pinned controller chart with the cluster, region and VPC given explicitly', () => {
    // THEN
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'aws-load-balancer-controller',
      Version: eks.AlbControllerVersion.V2_13_4.helmChartVersion,
      Namespace: 'kube-system',
    });
  });

  test('may register and deregister targets in the given target group only, and change nothing else', () => {
    // THEN
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const controllerStatements = statements.filter((statement: { Action: string | string[] }) =>
      [statement.Action].flat().some((action) => action.startsWith('elasticloadbalancing:')),
    );
    expect(controllerStatements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'],
          Resource: { Ref: targetGroupId },
        }),
      ]),
    );
    const actions = controllerStatements.flatMap((statement: { Action: string | string[] }) =>
      [statement.Action].flat(),
    );
    const writes = actions.filter((action: string) => !/:(Describe|Get)/.test(action));
    expect(writes.sort()).toEqual([
      'elasticloadbalancing:DeregisterTargets',
      'elasticloadbalancing:RegisterTargets',
    ]);
    // The read-only statement is the only one on '*'.
    for (const statement of controllerStatements.filter((s: { Resource: unknown }) => s.Resource === '*')) {
      expect([statement.Action].flat().every((action: string) => /:(Describe|Get)/.test(action))).toBe(true);
    }
  });
});
