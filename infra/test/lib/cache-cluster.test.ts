import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CacheCluster, CacheClusterProps } from '../../lib/cache-cluster';

function synth(props: Partial<CacheClusterProps> = {}): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const clientSecurityGroup = new ec2.SecurityGroup(stack, 'Client', { vpc });
  new CacheCluster(stack, 'Cache', { vpc, clientSecurityGroup, nodeType: 'cache.r7g.large', ...props });
  return Template.fromStack(stack);
}

describe('CacheCluster', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = synth();
  });

  test('is a multi-AZ Valkey replication group with automatic failover and the default two replicas', () => {
    // THEN
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      CacheNodeType: 'cache.r7g.large',
      NumCacheClusters: 3,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      SnapshotRetentionLimit: 7,
    });
  });

  test('takes the replication group id it is given, so CloudWatch metrics can be selected by name', () => {
    // WHEN
    const named = synth({ replicationGroupId: 'api-platform-prod' });

    // THEN
    named.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ReplicationGroupId: 'api-platform-prod',
    });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ReplicationGroupId: Match.absent(),
    });
  });

  test('rejects a replication group id ElastiCache would refuse, naming the prop', () => {
    expect(() => synth({ replicationGroupId: 'Api_Platform' })).toThrow(/replicationGroupId 'Api_Platform'/);
    expect(() => synth({ replicationGroupId: 'api--platform' })).toThrow(/replicationGroupId/);
    expect(() => synth({ replicationGroupId: 'a'.repeat(41) })).toThrow(/replicationGroupId/);
  });

  test('requires TLS in transit and encrypts at rest with the customer key', () => {
    // THEN
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('takes its AUTH token from Secrets Manager by reference, never as a value', () => {
    // THEN
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      AuthToken: {
        'Fn::Join': [
          '',
          [
            '{{resolve:secretsmanager:',
            { Ref: Match.stringLikeRegexp('^CacheAuthToken') },
            ':SecretString:::}}',
          ],
        ],
      },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  test('places the nodes in the isolated subnets', () => {
    // THEN
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
      SubnetIds: [0, 1, 2].map((i) => ({ Ref: Match.stringLikeRegexp(`^VpcIsolatedSubnet${i + 1}`) })),
    });
  });

  test('admits the client security group only, on the Valkey port', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'ElastiCache Valkey: from the service only',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress');
    expect(Object.values(ingress).map((rule) => rule.Properties)).toEqual([
      expect.objectContaining({
        GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^CacheSecurityGroup/), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^Client/), 'GroupId'] },
        FromPort: 6379,
        ToPort: 6379,
      }),
    ]);
  });

  test('keeps a final snapshot and its key by default, and removes them when asked', () => {
    // THEN
    template.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Snapshot' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    const disposable = synth({ removalPolicy: RemovalPolicy.DESTROY });
    disposable.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Delete' });
    disposable.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('rejects a group without replicas, which could not fail over', () => {
    // THEN
    expect(() => synth({ replicas: 0 })).toThrow(/replicas must be an integer between 1 and 5/);
  });

  test('rejects an out-of-range snapshot retention', () => {
    // THEN
    expect(() => synth({ snapshotRetentionDays: 36 })).toThrow(
      /snapshotRetentionDays must be an integer between 1 and 35/,
    );
  });
});
