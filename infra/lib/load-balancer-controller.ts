import { Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

/** Properties of a {@link LoadBalancerController}. */
export interface LoadBalancerControllerProps {
  /** Cluster to install the controller on. */
  readonly cluster: eks.Cluster;
  /** The only target groups the controller may register pods in and deregister them from. */
  readonly targetGroups: readonly elbv2.IApplicationTargetGroup[];
  /**
   * Version of the controller (and of its Helm chart).
   * @default eks.AlbControllerVersion.V2_13_4
   */
  readonly version?: eks.AlbControllerVersion;
}

/**
 * Read-only calls the controller makes while reconciling a TargetGroupBinding (target group, its health,
 * the pods' network interfaces and subnets): they accept no resource narrower than `*`.
 */
const DESCRIBE_ACTIONS = [
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeTags',
  'ec2:DescribeVpcs',
  'ec2:GetSecurityGroupsForVpc',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
];

/**
 * The AWS Load Balancer Controller (aws-cdk-lib's pinned Helm release, IRSA service account), with a policy cut
 * down to what TargetGroupBinding needs: describe, and register/deregister targets in the given target groups.
 * The CDK app owns the load balancer, its listeners and every security group rule, so the controller can
 * create, change or delete none of them (an Ingress would fail with AccessDenied, by design).
 */
export class LoadBalancerController extends Construct {
  /** The controller's Helm release and service account. */
  public readonly controller: eks.AlbController;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    if (props.targetGroups.length === 0) {
      throw new Error('targetGroups must name the target groups the controller binds pods to');
    }
    this.controller = new eks.AlbController(this, 'Resource', {
      cluster: props.cluster,
      version: props.version ?? eks.AlbControllerVersion.V2_13_4,
      policy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: DESCRIBE_ACTIONS, Resource: '*' },
          {
            Effect: 'Allow',
            Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
            Resource: props.targetGroups.map((targetGroup) => targetGroup.targetGroupArn),
          },
        ],
      },
    });
    const serviceAccount = this.controller.node.findChild('alb-sa');
    Validations.of(serviceAccount).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `Only the ${DESCRIBE_ACTIONS.length} read-only Describe/Get calls of TargetGroupBinding reconciliation are on '*' (they support no narrower resource); RegisterTargets/DeregisterTargets are limited to the API's target groups.`,
    });
  }
}
