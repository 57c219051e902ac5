import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ReaderAutoScaling, ReaderAutoScalingProps } from '../../lib/reader-auto-scaling';

function testCluster(): { stack: Stack; cluster: rds.DatabaseCluster } {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
  const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_9 }),
    vpc,
    writer: rds.ClusterInstance.provisioned('Writer'),
    readers: [rds.ClusterInstance.provisioned('Reader1')],
  });
  return { stack, cluster };
}

function synth(props: Partial<ReaderAutoScalingProps> = {}): Template {
  const { stack, cluster } = testCluster();
  new ReaderAutoScaling(stack, 'Scaling', {
    cluster,
    minReaders: 1,
    maxReaders: 4,
    targetCpuPercent: 65,
    ...props,
  });
  return Template.fromStack(stack);
}

describe('ReaderAutoScaling', () => {
  test("scales the cluster's reader count between the given bounds with the RDS service-linked role", () => {
    // WHEN
    const template = synth();
    // THEN
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'rds',
      ScalableDimension: 'rds:cluster:ReadReplicaCount',
      ResourceId: { 'Fn::Join': ['', ['cluster:', { Ref: Match.stringLikeRegexp('^Cluster') }]] },
      MinCapacity: 1,
      MaxCapacity: 4,
      RoleARN: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::111111111111:role/aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster',
          ],
        ],
      },
    });
    // No role of its own: Application Auto Scaling acts on RDS through its service-linked role.
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('is registered only after every instance of the cluster exists', () => {
    // WHEN
    const template = synth();
    // THEN
    const [target] = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'));
    const instances = Object.keys(template.findResources('AWS::RDS::DBInstance'));
    expect(instances).toHaveLength(2);
    expect(target.DependsOn).toEqual(expect.arrayContaining(instances));
  });

  test('tracks average reader CPU, and connections when a target is given', () => {
    // WHEN
    const cpuOnly = synth();
    const both = synth({ targetConnectionsPerReader: 900.7 });
    // THEN
    cpuOnly.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
    cpuOnly.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'RDSReaderAverageCPUUtilization' },
        TargetValue: 65,
        ScaleInCooldown: 600,
        ScaleOutCooldown: 300,
      },
    });
    both.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
    both.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'RDSReaderAverageDatabaseConnections' },
        TargetValue: 900,
      }),
    });
  });

  test.each<[string, Partial<ReaderAutoScalingProps>, RegExp]>([
    [
      'max not above min',
      { minReaders: 2, maxReaders: 2 },
      /maxReaders must be an integer above minReaders \(2\)/,
    ],
    ['max above 15', { maxReaders: 16 }, /at most 15, got 16/],
    ['negative min', { minReaders: -1 }, /minReaders must be a non-negative integer, got -1/],
    ['CPU target of 100', { targetCpuPercent: 100 }, /targetCpuPercent must be between 0 and 100/],
    [
      'connections target of 0',
      { targetConnectionsPerReader: 0 },
      /targetConnectionsPerReader must be at least 1/,
    ],
  ])('rejects %s', (_, props, message) => {
    // THEN
    expect(() => synth(props)).toThrow(message);
  });
});
