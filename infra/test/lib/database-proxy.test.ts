import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DatabaseProxy, DatabaseProxyProps } from '../../lib/database-proxy';
import { effectiveEgress } from '../helpers/effective-egress';

function setup(props: Partial<DatabaseProxyProps> = {}): { stack: Stack; client: ec2.SecurityGroup } {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_9 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    writer: rds.ClusterInstance.provisioned('Writer'),
  });
  const client = new ec2.SecurityGroup(stack, 'Client', { vpc });
  new DatabaseProxy(stack, 'Proxy', {
    cluster,
    databaseUsers: ['api_service', 'outbox_relay'],
    vpc,
    clientSecurityGroup: client,
    ...props,
  });
  return { stack, client };
}

describe('DatabaseProxy', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = Template.fromStack(setup().stack);
  });

  test('requires TLS and IAM tokens end to end: no secret, no password', () => {
    // THEN
    template.hasResourceProperties('AWS::RDS::DBProxy', {
      EngineFamily: 'POSTGRESQL',
      RequireTLS: true,
      DefaultAuthScheme: 'IAM_AUTH',
      Auth: Match.absent(),
    });
  });

  // With end-to-end IAM authentication the proxy signs in to the database with its own role, which needs
  // rds-db:connect on the cluster's database users ("Moving from standard IAM authentication to end-to-end IAM
  // authentication for RDS Proxy", Aurora User Guide).
  test("lets its role sign in to the cluster as the workloads' users and no one else", () => {
    // WHEN
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const connect = statements.filter((statement) => statement.Action === 'rds-db:connect');
    // THEN
    expect(connect.map((statement) => JSON.stringify(statement.Resource))).toEqual([
      expect.stringMatching(/:dbuser:.*ClusterEB0386A7.*DBClusterResourceId.*\/api_service"/),
      expect.stringMatching(/:dbuser:.*ClusterEB0386A7.*DBClusterResourceId.*\/outbox_relay"/),
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'rds.amazonaws.com' } })],
      },
    });
  });

  test('refuses a proxy no user may sign in through', () => {
    // THEN
    expect(() => setup({ databaseUsers: [] })).toThrow(/databaseUsers must name at least one user/);
  });

  test('targets the cluster with a bounded share of its connections', () => {
    // THEN
    template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
      DBClusterIdentifiers: [{ Ref: Match.stringLikeRegexp('^Cluster') }],
      ConnectionPoolConfigurationInfo: { ConnectionBorrowTimeout: 5, MaxConnectionsPercent: 90 },
    });
  });

  test('adds a read-only endpoint for the readers', () => {
    // THEN
    template.hasResourceProperties('AWS::RDS::DBProxyEndpoint', { TargetRole: 'READ_ONLY' });
  });

  test('admits PostgreSQL from the client security group only, and reaches the cluster from its own group', () => {
    // THEN
    const proxyGroup = Match.stringLikeRegexp('^ProxySecurityGroup');
    // Closed outbound except towards the cluster: the group's own egress list is never empty, or EC2's default
    // allow-all rule would stay (AWS::EC2::SecurityGroup, CloudFormation User Guide).
    const groups = Object.keys(template.findResources('AWS::EC2::SecurityGroup'));
    const group = (prefix: string) => groups.find((id) => id.startsWith(prefix)) as string;
    expect(effectiveEgress(template, group('ProxySecurityGroup'))).toEqual([
      { to: group('ClusterSecurityGroup'), protocol: 'tcp', ports: expect.stringContaining('Endpoint.Port') },
    ]);
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: { 'Fn::GetAtt': [proxyGroup, 'GroupId'] } },
    });
    expect(Object.values(ingress).map((rule) => rule.Properties)).toEqual([
      expect.objectContaining({
        FromPort: 5432,
        ToPort: 5432,
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^Client/), 'GroupId'] },
      }),
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [proxyGroup, 'GroupId'] },
    });
  });

  test.each([0, 101])('rejects maxConnectionsPercent %d', (maxConnectionsPercent) => {
    // THEN
    expect(() => setup({ maxConnectionsPercent })).toThrow(
      /maxConnectionsPercent must be an integer between 1 and 100/,
    );
  });
});
