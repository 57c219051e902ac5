import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { databaseSessionDefaults } from '../../../service/src/db/session-defaults';
import { AuroraGlobalDatabase, AuroraGlobalDatabaseProps } from '../../lib/aurora-global-database';

function testStack(region = 'eu-west-1'): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: [`${region}a`, `${region}b`, `${region}c`],
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  return { stack, vpc };
}

const baseProps = {
  globalClusterIdentifier: 'api-platform-test',
  clusterIdentifier: 'api-platform-test-eu-west-1',
  instanceType: new ec2.InstanceType('r6g.large'),
};

describe('AuroraGlobalDatabase', () => {
  describe('primary', () => {
    let template: Template;
    beforeAll(() => {
      // GIVEN
      const { stack, vpc } = testStack();
      // WHEN
      new AuroraGlobalDatabase(stack, 'Database', { ...baseProps, role: 'primary', vpc, readers: 2 });
      template = Template.fromStack(stack);
    });

    test('creates the global cluster, encrypted, and joins the primary cluster to it', () => {
      // THEN
      template.hasResourceProperties('AWS::RDS::GlobalCluster', {
        GlobalClusterIdentifier: 'api-platform-test',
        Engine: 'aurora-postgresql',
        EngineVersion: '17.9',
        StorageEncrypted: true,
        DeletionProtection: true,
      });
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        GlobalClusterIdentifier: { Ref: Match.stringLikeRegexp('GlobalCluster') },
        Engine: 'aurora-postgresql',
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseKey'), 'Arn'] },
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        BackupRetentionPeriod: 7,
        PerformanceInsightsEnabled: true,
        PerformanceInsightsKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseKey'), 'Arn'] },
      });
    });

    test('has a writer and the requested readers, none publicly accessible', () => {
      // THEN
      template.resourceCountIs('AWS::RDS::DBInstance', 3);
      template.allResourcesProperties('AWS::RDS::DBInstance', {
        DBInstanceClass: 'db.r6g.large',
        PubliclyAccessible: false,
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', { PromotionTier: 0 });
    });

    test('keeps a snapshot of the cluster and retains key and global cluster by default', () => {
      // THEN
      template.hasResource('AWS::RDS::DBCluster', {
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
      });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
      template.hasResource('AWS::RDS::GlobalCluster', { DeletionPolicy: 'Retain' });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    test('sets the session defaults, slow-query logging and TLS in the cluster parameter group', () => {
      // THEN
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-postgresql17',
        Parameters: {
          // RDS Proxy refuses startup options, so the server, not the pools, sets what each session needs.
          ...databaseSessionDefaults(5000),
          log_min_duration_statement: '500',
          'rds.force_ssl': '1',
        },
      });
    });

    test('keeps the master password in a KMS-encrypted secret that rotates', () => {
      // THEN
      template.resourceCountIs('AWS::SecretsManager::Secret', 1);
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
      });
    });

    test('names the PostgreSQL log group after the cluster, with a retention', () => {
      // THEN
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/rds/cluster/api-platform-test-eu-west-1/postgresql',
        RetentionInDays: 30,
      });
    });
  });

  describe('secondary', () => {
    let template: Template;
    beforeAll(() => {
      // GIVEN
      const { stack, vpc } = testStack('us-east-1');
      // WHEN
      new AuroraGlobalDatabase(stack, 'Database', {
        ...baseProps,
        clusterIdentifier: 'api-platform-test-us-east-1',
        role: 'secondary',
        vpc,
      });
      template = Template.fromStack(stack);
    });

    test('joins the global cluster by name with write forwarding, encrypted with a key of its own region', () => {
      // THEN
      template.resourceCountIs('AWS::RDS::GlobalCluster', 0);
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        GlobalClusterIdentifier: 'api-platform-test',
        EnableGlobalWriteForwarding: true,
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DatabaseKey'), 'Arn'] },
      });
    });

    test('gives forwarded writes session consistency in the cluster parameter group, since the pools send no options', () => {
      // THEN
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({ 'apg_write_forward.consistency_mode': 'session', timezone: 'UTC' }),
      });
    });

    test('has no master user and creates no secret, since credentials come from the primary', () => {
      // THEN
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        MasterUsername: Match.absent(),
        MasterUserPassword: Match.absent(),
        ManageMasterUserPassword: Match.absent(),
      });
    });
  });

  test('names the master secret and replicates it to the secondary regions when asked', () => {
    // GIVEN
    const { stack, vpc } = testStack();
    // WHEN
    new AuroraGlobalDatabase(stack, 'Database', {
      ...baseProps,
      role: 'primary',
      vpc,
      secretName: 'api-platform/test/database',
      secretReplicaRegions: ['us-east-1', 'ap-southeast-2'],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'api-platform/test/database',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
      // No key of their own: a replica uses Secrets Manager's key of its region.
      ReplicaRegions: [{ Region: 'us-east-1' }, { Region: 'ap-southeast-2' }],
    });
  });

  test('removes everything with the stack when the removal policy is DESTROY', () => {
    // GIVEN
    const { stack, vpc } = testStack();
    // WHEN
    new AuroraGlobalDatabase(stack, 'Database', {
      ...baseProps,
      role: 'primary',
      vpc,
      deletionProtection: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: false }),
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::RDS::GlobalCluster', { DeletionProtection: false });
  });

  describe('validation', () => {
    const cases: Array<[string, Partial<AuroraGlobalDatabaseProps>, RegExp]> = [
      ['too many readers', { readers: 16 }, /readers must be an integer between 0 and 15, got 16/],
      ['an invalid cluster name', { clusterIdentifier: 'Bad_Name' }, /clusterIdentifier 'Bad_Name'/],
      [
        'a slow-query threshold above the timeout',
        { statementTimeout: Duration.seconds(1), slowQueryThreshold: Duration.seconds(2) },
        /slowQueryThreshold must be shorter than statementTimeout/,
      ],
      [
        'rotation on a secondary',
        { role: 'secondary', secretRotation: Duration.days(7) },
        /secretRotation applies/,
      ],
      [
        'a secret replica on a secondary',
        { role: 'secondary', secretReplicaRegions: ['us-east-1'] },
        /secretName and secretReplicaRegions apply to the primary only/,
      ],
    ];
    test.each(cases)('rejects %s', (_name, overrides, message) => {
      // GIVEN
      const { stack, vpc } = testStack();
      // THEN
      expect(
        () =>
          new AuroraGlobalDatabase(stack, 'Database', { ...baseProps, role: 'primary', vpc, ...overrides }),
      ).toThrow(message);
    });
  });
});
