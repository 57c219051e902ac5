import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadPlatformConfig } from '../../../config/platform-config';
import { RegionalPlatformStack } from '../../../lib/stacks/regional-platform-stack';

describe('RegionalPlatformStack', () => {
  const dev = loadPlatformConfig('dev');
  const prod = loadPlatformConfig('prod');
  let devPrimary: RegionalPlatformStack;
  let prodPrimary: Template;
  let prodSecondary: Template;
  let prodSecondaryStack: RegionalPlatformStack;

  beforeAll(() => {
    // GIVEN
    const app = new App();
    // WHEN
    devPrimary = new RegionalPlatformStack(app, 'DevPrimary', { config: dev, region: dev.primaryRegion });
    const prodPrimaryStack = new RegionalPlatformStack(app, 'ProdPrimary', {
      config: prod,
      region: prod.primaryRegion,
    });
    prodSecondaryStack = new RegionalPlatformStack(app, 'ProdSecondary', {
      config: prod,
      region: prod.secondaryRegions[0],
    });
    prodPrimary = Template.fromStack(prodPrimaryStack);
    prodSecondary = Template.fromStack(prodSecondaryStack);
  });

  test('takes account and region from the configuration', () => {
    // THEN
    expect(devPrimary.account).toBe(dev.account);
    expect(devPrimary.region).toBe(dev.primaryRegion.region);
    expect(prodSecondaryStack.region).toBe(prod.secondaryRegions[0].region);
    expect(prodSecondaryStack.availabilityZones).toEqual(prod.secondaryRegions[0].availabilityZones);
  });

  test('derives its role from the configured primary region', () => {
    // THEN
    expect(devPrimary.role).toBe('primary');
    expect(prodSecondaryStack.role).toBe('secondary');
    expect(devPrimary.databaseProxy).toBeDefined();
    expect(prodSecondaryStack.databaseProxy).toBeUndefined();
  });

  test('uses the NAT gateway count of the environment', () => {
    // THEN
    Template.fromStack(devPrimary).resourceCountIs('AWS::EC2::NatGateway', dev.natGatewaysPerRegion);
    prodPrimary.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('protects data in prod: deletion protection and snapshot or retain policies', () => {
    // THEN
    for (const template of [prodPrimary, prodSecondary]) {
      template.hasResource('AWS::RDS::DBCluster', {
        DeletionPolicy: 'Snapshot',
        Properties: Match.objectLike({ DeletionProtection: true }),
      });
      template.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Snapshot' });
      template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    }
    prodPrimary.hasResourceProperties('AWS::RDS::GlobalCluster', { DeletionProtection: true });
    prodPrimary.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 35 });
  });

  test('lets dev data go with the stack', () => {
    // THEN
    const template = Template.fromStack(devPrimary);
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: false }),
    });
    template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('attaches the secondary cluster to the global cluster the primary creates, with write forwarding', () => {
    // THEN
    prodPrimary.hasResourceProperties('AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: 'api-platform-prod',
    });
    prodSecondary.hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: 'api-platform-prod',
      EnableGlobalWriteForwarding: true,
      DBClusterIdentifier: 'api-platform-prod-us-east-1',
    });
    prodSecondary.resourceCountIs('AWS::SecretsManager::Secret', 1); // the cache token only
  });

  test('admits the service security group, and only it, to the secondary cluster', () => {
    // THEN
    const clusterIngress = prodSecondary.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseClusterSecurityGroup'), 'GroupId'] },
      },
    });
    expect(Object.values(clusterIngress).map((rule) => rule.Properties.SourceSecurityGroupId)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^ServiceSecurityGroup/), 'GroupId'] },
    ]);
  });

  test('admits only the proxy and the rotation function to the primary cluster', () => {
    // THEN
    const clusterIngress = prodPrimary.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseClusterSecurityGroup'), 'GroupId'] },
      },
    });
    const sources = Object.values(clusterIngress).map(
      (rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0],
    );
    expect(sources.sort()).toEqual([
      expect.stringMatching(/^DatabaseClusterRotationSingleUserSecurityGroup/),
      expect.stringMatching(/^DatabaseProxySecurityGroup/),
    ]);
  });

  test('tags every taggable resource with service, env, owner and cost-center', () => {
    // THEN
    // CloudFormation tags come sorted by key.
    const tags = Object.entries(prod.tags)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Key, Value]) => ({ Key, Value }));
    prodPrimary.allResourcesProperties('AWS::EC2::VPC', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::RDS::DBCluster', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::ElastiCache::ReplicationGroup', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::KMS::Key', { Tags: Match.arrayWith(tags) });
  });

  test('rejects a region that is not in the configuration', () => {
    // THEN
    expect(
      () =>
        new RegionalPlatformStack(new App(), 'Stray', {
          config: dev,
          region: { ...dev.primaryRegion, region: 'sa-east-1' },
        }),
    ).toThrow("region 'sa-east-1' is not a region of platform config 'dev'");
  });
});
