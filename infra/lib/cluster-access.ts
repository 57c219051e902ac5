import { CfnOutput, Fn, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** Properties of a {@link ClusterAccess}. */
export interface ClusterAccessProps {
  /** The private-endpoint cluster people are given access to. */
  readonly cluster: eks.Cluster;
  /** VPC of the cluster, where a CloudShell VPC environment opens its network interface. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets offered to a CloudShell VPC environment; they need a route to the internet (a NAT gateway) for the
   * AWS APIs and to download kubectl plugins.
   * @default - the private subnets with egress of `vpc`
   */
  readonly consoleSubnets?: ec2.SubnetSelection;
  /** ARN of the platform team's IAM role, path included: cluster admin. */
  readonly platformAdminRoleArn: string;
  /** ARN of the on-call's IAM role, path included: view everything, act in `onCallNamespace` through `onCallGroup`. */
  readonly onCallRoleArn: string;
  /** Kubernetes group the on-call's requests carry, bound by the API chart to a Role in the API's namespace. */
  readonly onCallGroup: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * Who reaches the cluster's private endpoint, and from where. The cluster's authentication mode is API (access
 * entries only), and the kubectl provider's role is its only entry until this adds two:
 *
 * - the platform admin: AmazonEKSClusterAdminPolicy, cluster scope;
 * - the on-call: AmazonEKSViewPolicy, cluster scope, plus the Kubernetes group the API chart binds to the incident
 *   actions of the runbooks in the API's namespace (`k8s/constructs/on-call-role.ts`). AmazonEKSEditPolicy was not
 *   enough (no Argo Rollouts or External Secrets kinds) and too much (it reads Secrets).
 *
 * The way in is an AWS CloudShell VPC environment in the cluster's private subnets with the console security group
 * below, which the control plane admits on 443: nothing runs, or costs, between incidents.
 * Sources: Amazon EKS User Guide, "Grant IAM users access to Kubernetes with EKS access entries", "Create access
 * entries" (a role ARN may include a path), "Associate access policies with access entries" and "Review access
 * policy permissions"; AWS CloudShell User Guide, "Using AWS CloudShell in Amazon VPC".
 */
export class ClusterAccess extends Construct {
  /** The platform admin's access entry. */
  public readonly platformAdmin: eks.AccessEntry;
  /** The on-call's access entry. */
  public readonly onCall: eks.AccessEntry;
  /** Security group to give a CloudShell VPC environment: the cluster admits it on 443. */
  public readonly consoleSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    for (const [name, arn] of [
      ['platformAdminRoleArn', props.platformAdminRoleArn],
      ['onCallRoleArn', props.onCallRoleArn],
    ]) {
      if (Token.isUnresolved(arn) || !ROLE_ARN.test(arn)) {
        throw new Error(`${name} must be a literal IAM role ARN, path included, got '${arn}'`);
      }
    }
    if (props.platformAdminRoleArn === props.onCallRoleArn) {
      throw new Error('platformAdminRoleArn and onCallRoleArn must differ: a principal has one access entry');
    }
    // EKS refuses Kubernetes groups that start with system: in an access entry.
    if (props.onCallGroup.startsWith('system:') || props.onCallGroup.length === 0) {
      throw new Error(`onCallGroup must be a group of your own, not '${props.onCallGroup}'`);
    }
    const { cluster } = props;
    const policy = (name: string) =>
      eks.AccessPolicy.fromAccessPolicyName(name, { accessScopeType: eks.AccessScopeType.CLUSTER });

    this.platformAdmin = new eks.AccessEntry(this, 'PlatformAdmin', {
      cluster,
      principal: props.platformAdminRoleArn,
      accessPolicies: [policy('AmazonEKSClusterAdminPolicy')],
    });
    this.onCall = new eks.AccessEntry(this, 'OnCall', {
      cluster,
      principal: props.onCallRoleArn,
      accessPolicies: [policy('AmazonEKSViewPolicy')],
    });
    // The L2 has no prop for the entry's Kubernetes groups; the L1 property is the documented one.
    (this.onCall.node.defaultChild as eks.CfnAccessEntry).kubernetesGroups = [props.onCallGroup];

    this.consoleSecurityGroup = new ec2.SecurityGroup(this, 'ConsoleSecurityGroup', {
      vpc: props.vpc,
      description: 'CloudShell VPC environments of the on-call: reach the EKS cluster API on 443',
      // AWS APIs, kubectl plugin downloads and the API server: a shell's destinations are not known in advance.
      allowAllOutbound: true,
    });
    cluster.connections.allowDefaultPortFrom(
      this.consoleSecurityGroup,
      'Kubernetes API from CloudShell VPC environments of the on-call',
    );

    const subnets = props.vpc.selectSubnets(
      props.consoleSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    );
    new CfnOutput(this, 'ClusterName', {
      description: 'aws eks update-kubeconfig --name <this> --region <region> --alias <region>',
      value: cluster.clusterName,
    });
    new CfnOutput(this, 'ConsoleVpcId', {
      description: 'VPC of a CloudShell VPC environment that reaches the cluster',
      value: props.vpc.vpcId,
    });
    new CfnOutput(this, 'ConsoleSubnetIds', {
      description: 'Subnets (any one) of a CloudShell VPC environment that reaches the cluster',
      value: Fn.join(',', subnets.subnetIds),
    });
    new CfnOutput(this, 'ConsoleSecurityGroupId', {
      description: 'Security group of a CloudShell VPC environment that reaches the cluster',
      value: this.consoleSecurityGroup.securityGroupId,
    });
  }
}
