import type { Template } from 'aws-cdk-lib/assertions';

/** One egress rule as the tests read it: where to, and which protocol and ports. */
export interface EgressRule {
  readonly to: string;
  readonly protocol: string;
  readonly ports: string;
}

const ALLOW_ALL: EgressRule = { to: '0.0.0.0/0', protocol: '-1', ports: 'all' };

/**
 * The egress a VPC security group of `template` ends up with, as EC2 and CloudFormation document it: a new
 * group allows all outbound traffic until its own `SecurityGroupEgress` lists a rule (AWS::EC2::SecurityGroup,
 * CloudFormation User Guide); separate AWS::EC2::SecurityGroupEgress resources add theirs. The conservative
 * reading: a separate rule is not counted on to remove the default. aws-cdk-lib's placeholder matches nothing.
 */
export function effectiveEgress(template: Template, logicalId: string): EgressRule[] {
  const group = template.findResources('AWS::EC2::SecurityGroup')[logicalId];
  if (group === undefined) throw new Error(`no security group ${logicalId}`);
  const inline: Record<string, unknown>[] = group.Properties.SecurityGroupEgress ?? [];
  const reference = JSON.stringify({ 'Fn::GetAtt': [logicalId, 'GroupId'] });
  const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
    .map((resource) => resource.Properties as Record<string, unknown>)
    .filter((properties) => JSON.stringify(properties.GroupId) === reference);
  const rules = [...inline, ...separate].filter((rule) => rule.CidrIp !== '255.255.255.255/32').map(toRule);
  return inline.length === 0 ? [ALLOW_ALL, ...rules] : rules;
}

function toRule(rule: Record<string, unknown>): EgressRule {
  const destination =
    rule.DestinationSecurityGroupId ?? rule.DestinationPrefixListId ?? rule.CidrIp ?? rule.CidrIpv6;
  const to =
    typeof destination === 'string'
      ? destination
      : ((destination as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0] ?? JSON.stringify(destination));
  const port = (value: unknown) => (typeof value === 'object' ? JSON.stringify(value) : String(value));
  const ports = rule.IpProtocol === '-1' ? 'all' : `${port(rule.FromPort)}-${port(rule.ToPort)}`;
  return { to, protocol: String(rule.IpProtocol), ports };
}
