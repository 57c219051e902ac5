import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as sns from 'aws-cdk-lib/aws-sns';
import { loadPlatformConfig } from '../../config/platform-config';
import { CacheAlarms } from '../../lib/cache-alarms';

const { cache: thresholds } = loadPlatformConfig('prod').alarms;

function synth(replicationGroup: Partial<elasticache.CfnReplicationGroupProps> = {}): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const group = new elasticache.CfnReplicationGroup(stack, 'Group', {
    replicationGroupDescription: 'test',
    replicationGroupId: 'test-cache',
    numCacheClusters: 3,
    ...replicationGroup,
  });
  new CacheAlarms(stack, 'Alarms', {
    replicationGroup: group,
    thresholds,
    alarmTopics: { page: new sns.Topic(stack, 'Page'), ticket: new sns.Topic(stack, 'Ticket') },
    alarmNamePrefix: 'test',
  });
  return Template.fromStack(stack);
}

/** The alarm's metric queries, found by its name. */
function queries(template: Template, alarmName: string) {
  const [found] = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarmName } }),
  );
  return found.Properties;
}

describe('CacheAlarms', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = synth();
  });

  test.each([
    ['CacheEngineCpuHigh', 'EngineCPUUtilization', 'MAX', 'Maximum', () => thresholds.engineCpuPercent],
    ['CacheEvictionsHigh', 'Evictions', 'SUM', 'Sum', () => thresholds.evictionsPer5Minutes],
    ['CacheMemoryHigh', 'DatabaseMemoryUsagePercentage', 'MAX', 'Maximum', () => thresholds.memoryPercent],
    ['CacheReplicationLagHigh', 'ReplicationLag', 'MAX', 'Maximum', () => thresholds.replicationLagSeconds],
  ])(
    '%s watches %s of every node (%s) against the configured threshold',
    (name, metricName, fn, stat, threshold) => {
      // THEN
      const properties = queries(template, `test-${name}`);
      expect(properties.Threshold).toBe(threshold());
      expect(properties.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Ticket/) }]);
      expect(properties.AlarmDescription).toContain(`/runbooks/alerts/${name}.md`);
      const [expression, ...nodes] = properties.Metrics;
      expect(expression).toEqual(
        expect.objectContaining({ Expression: `${fn}([n0, n1, n2])`, ReturnData: true }),
      );
      expect(
        nodes.map((query: { MetricStat: { Metric: unknown; Stat: string } }) => [
          query.MetricStat.Metric,
          query.MetricStat.Stat,
        ]),
      ).toEqual(
        ['001', '002', '003'].map((node) => [
          {
            Namespace: 'AWS/ElastiCache',
            MetricName: metricName,
            Dimensions: [{ Name: 'CacheClusterId', Value: `test-cache-${node}` }],
          },
          stat,
        ]),
      );
    },
  );

  test('needs the literal replication group id and node count that name the metrics', () => {
    // THEN
    expect(() => synth({ replicationGroupId: undefined })).toThrow(/must have a literal replicationGroupId/);
    expect(() => synth({ numCacheClusters: undefined })).toThrow(/must have a literal numCacheClusters/);
  });
});
