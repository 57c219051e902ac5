import { Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The rule aws-cdk-lib itself uses to close a group: no address sends ICMP type 252 from 255.255.255.255/32. */
const MATCHES_NOTHING: ec2.CfnSecurityGroup.EgressProperty = {
  cidrIp: '255.255.255.255/32',
  description: 'Disallow all traffic',
  ipProtocol: 'icmp',
  fromPort: 252,
  toPort: 86,
};

/**
 * Keeps a group created with `allowAllOutbound: false` closed outbound whatever rules are added to it later.
 *
 * EC2 gives a new VPC security group an allow-all egress rule, which CloudFormation removes only when the
 * group's own `SecurityGroupEgress` lists a rule (AWS::EC2::SecurityGroup, CloudFormation User Guide).
 * aws-cdk-lib drops its placeholder rule as soon as any egress rule is added, also one it renders as a separate
 * `AWS::EC2::SecurityGroupEgress` (a rule naming another group); then the list is empty and closure rests on
 * the separate resource's side effect. With this, the inline list is never empty.
 */
export function keepOutboundClosed(securityGroup: ec2.SecurityGroup): void {
  if (securityGroup.allowAllOutbound) {
    throw new Error(`keepOutboundClosed: ${securityGroup.node.path} allows all outbound traffic`);
  }
  const cfn = securityGroup.node.defaultChild as ec2.CfnSecurityGroup;
  const rendered = cfn.securityGroupEgress;
  cfn.securityGroupEgress = Lazy.any({
    produce: () => {
      const rules = Stack.of(securityGroup).resolve(rendered) as unknown[] | undefined;
      return rules !== undefined && rules.length > 0 ? rules : [MATCHES_NOTHING];
    },
  });
}
