import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { loadPlatformConfig } from '../../config/platform-config';
import { DatabaseAlarms, DatabaseAlarmsProps } from '../../lib/database-alarms';

const { database: thresholds } = loadPlatformConfig('prod').alarms;
const GIB = 1024 ** 3;

function synth(props: Partial<DatabaseAlarmsProps> = {}): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
  const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_9 }),
    clusterIdentifier: 'test-cluster',
    vpc,
    writer: rds.ClusterInstance.provisioned('Writer'),
  });
  const alarmTopics = { page: new sns.Topic(stack, 'Page'), ticket: new sns.Topic(stack, 'Ticket') };
  new DatabaseAlarms(stack, 'Alarms', {
    cluster,
    role: 'primary',
    instanceType: new ec2.InstanceType('r6g.large'),
    hasReplicas: true,
    thresholds,
    alarmTopics,
    alarmNamePrefix: 'test',
    ...props,
  });
  return Template.fromStack(stack);
}

/** The alarm's properties, found by its name. */
function alarm(template: Template, alarmName: string): Record<string, unknown> {
  const found = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarmName } }),
  );
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

describe('DatabaseAlarms', () => {
  let primary: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    primary = synth();
  });

  test('watches CPU, memory, connections and replica lag of the cluster with the configured thresholds', () => {
    // THEN
    const cluster = [{ Name: 'DBClusterIdentifier', Value: { Ref: Match.stringLikeRegexp('^Cluster') } }];
    primary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'test-AuroraCpuHigh',
      Namespace: 'AWS/RDS',
      MetricName: 'CPUUtilization',
      Dimensions: cluster,
      Statistic: 'Maximum',
      Threshold: thresholds.cpuPercent,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
    });
    primary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'test-AuroraFreeableMemoryLow',
      MetricName: 'FreeableMemory',
      Statistic: 'Minimum',
      // A share of the class's 16 GiB.
      Threshold: Math.floor((16 * GIB * thresholds.freeableMemoryPercent) / 100),
      ComparisonOperator: 'LessThanThreshold',
    });
    primary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'test-AuroraConnectionsNearMax',
      MetricName: 'DatabaseConnections',
      // A share of r6g.large's default max_connections, 1802.
      Threshold: Math.floor((1802 * thresholds.connectionsPercentOfMax) / 100),
    });
    primary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'test-AuroraReplicaLagHigh',
      MetricName: 'AuroraReplicaLag',
      Dimensions: cluster,
      Threshold: thresholds.replicaLagMs,
    });
    primary.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  test('names each alarm after its runbook and opens a ticket when it fires and when it recovers: each is a cause', () => {
    // THEN
    const topic = [{ Ref: expect.stringMatching(/^Ticket/) }];
    for (const name of [
      'AuroraCpuHigh',
      'AuroraFreeableMemoryLow',
      'AuroraConnectionsNearMax',
      'AuroraReplicaLagHigh',
    ]) {
      const properties = alarm(primary, `test-${name}`);
      expect(properties.AlarmActions).toEqual(topic);
      expect(properties.OKActions).toEqual(topic);
      expect(JSON.stringify(properties.AlarmDescription)).toContain(`/runbooks/alerts/${name}.md`);
    }
  });

  test('watches the cross-region lag on a secondary, and no in-region lag without replicas', () => {
    // WHEN
    const secondary = synth({ role: 'secondary', sourceRegion: 'us-east-1', hasReplicas: false });
    // THEN
    secondary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'test-AuroraGlobalReplicationLagHigh',
      MetricName: 'AuroraGlobalDBReplicationLag',
      // Published by cluster and source (primary) region only: without SourceRegion the alarm would see no data.
      Dimensions: [
        { Name: 'DBClusterIdentifier', Value: { Ref: Match.stringLikeRegexp('^Cluster') } },
        { Name: 'SourceRegion', Value: 'us-east-1' },
      ],
      Statistic: 'Maximum',
      Threshold: thresholds.globalReplicationLagMs,
    });
    expect(
      secondary.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'AuroraReplicaLag' } }),
    ).toEqual({});
    expect(
      primary.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'AuroraGlobalDBReplicationLag' },
      }),
    ).toEqual({});
  });

  test("refuses a secondary without the primary's region, or with its own", () => {
    // THEN
    expect(() => synth({ role: 'secondary', hasReplicas: false })).toThrow(
      /sourceRegion must name the primary cluster's region when role is 'secondary'/,
    );
    expect(() => synth({ role: 'secondary', sourceRegion: 'eu-west-1', hasReplicas: false })).toThrow(
      /sourceRegion must be the primary's region, not the secondary's own \(eu-west-1\)/,
    );
  });
});
