import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import type { CacheAlarmThresholds } from '../config/alarm-thresholds';
import { replicationGroupNodeIds } from '../config/platform-config';
import type { SeverityTopics } from './alert-topics';
import { addManagedAlarm, ManagedAlarmName } from './managed-alarm';

/** Properties of a {@link CacheAlarms}. */
export interface CacheAlarmsProps {
  /** The Valkey replication group watched; it must have a fixed `replicationGroupId` and `numCacheClusters`. */
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** Thresholds from the platform configuration. */
  readonly thresholds: CacheAlarmThresholds;
  /** The topics of each severity the alarms notify (in this stack's region). */
  readonly alarmTopics: SeverityTopics;
  /** Prefix of the alarm names, unique in the account and region. */
  readonly alarmNamePrefix: string;
}

const PERIOD = Duration.minutes(5);

/**
 * CloudWatch alarms on a Valkey replication group: engine CPU, evictions, memory and replication lag.
 *
 * ElastiCache publishes these per node (`CacheClusterId` `<replicationGroupId>-001`, `-002`, ...), and a failover
 * swaps which node is primary, so each alarm watches one expression over every node (MAX, or SUM for evictions).
 */
export class CacheAlarms extends Construct {
  /** The alarms, by runbook name. */
  public readonly alarms: Readonly<Partial<Record<ManagedAlarmName, cloudwatch.Alarm>>>;

  constructor(scope: Construct, id: string, props: CacheAlarmsProps) {
    super(scope, id);

    const { replicationGroupId, numCacheClusters } = props.replicationGroup;
    if (replicationGroupId === undefined || Token.isUnresolved(replicationGroupId)) {
      throw new Error(
        'replicationGroup must have a literal replicationGroupId: its node ids name the metrics',
      );
    }
    if (numCacheClusters === undefined || Token.isUnresolved(numCacheClusters)) {
      throw new Error('replicationGroup must have a literal numCacheClusters: each node is watched');
    }
    const { thresholds } = props;
    // The node ids come from the replication group itself (its id and node count), never retyped. ElastiCache User
    // Guide, "Monitoring use with CloudWatch Metrics" and "Metrics for Valkey and Redis OSS": each node publishes its
    // metrics with the dimension CacheClusterId, the node's own id.
    const nodeIds = replicationGroupNodeIds(replicationGroupId, numCacheClusters);
    /** One expression over the metric of every node. */
    const overNodes = (fn: 'MAX' | 'SUM', metricName: string, statistic: string, label: string) => {
      const usingMetrics: Record<string, cloudwatch.IMetric> = {};
      nodeIds.forEach((cacheClusterId, index) => {
        usingMetrics[`n${index}`] = new cloudwatch.Metric({
          namespace: 'AWS/ElastiCache',
          metricName,
          dimensionsMap: { CacheClusterId: cacheClusterId },
          statistic,
          period: PERIOD,
        });
      });
      return new cloudwatch.MathExpression({
        expression: `${fn}([${Object.keys(usingMetrics).join(', ')}])`,
        usingMetrics,
        label,
        period: PERIOD,
      });
    };
    const common = { namePrefix: props.alarmNamePrefix, topics: props.alarmTopics };
    const group = replicationGroupId;
    const alarms: Partial<Record<ManagedAlarmName, cloudwatch.Alarm>> = {};

    alarms.CacheEngineCpuHigh = addManagedAlarm(this, {
      ...common,
      name: 'CacheEngineCpuHigh',
      summary: `A node of Valkey replication group ${group} has used more than ${thresholds.engineCpuPercent}% of its engine thread for 15 minutes.`,
      metric: overNodes(
        'MAX',
        'EngineCPUUtilization',
        cloudwatch.Stats.MAXIMUM,
        'Highest engine CPU of any node (%)',
      ),
      threshold: thresholds.engineCpuPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    alarms.CacheEvictionsHigh = addManagedAlarm(this, {
      ...common,
      name: 'CacheEvictionsHigh',
      summary: `Valkey replication group ${group} has evicted more than ${thresholds.evictionsPer5Minutes} keys in 5 minutes, twice in a row: the cache is too small for its working set.`,
      metric: overNodes('SUM', 'Evictions', cloudwatch.Stats.SUM, 'Keys evicted by all nodes'),
      threshold: thresholds.evictionsPer5Minutes,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
    });
    alarms.CacheMemoryHigh = addManagedAlarm(this, {
      ...common,
      name: 'CacheMemoryHigh',
      summary: `A node of Valkey replication group ${group} has used more than ${thresholds.memoryPercent}% of its memory for 15 minutes.`,
      metric: overNodes(
        'MAX',
        'DatabaseMemoryUsagePercentage',
        cloudwatch.Stats.MAXIMUM,
        'Highest memory use of any node (%)',
      ),
      threshold: thresholds.memoryPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    alarms.CacheReplicationLagHigh = addManagedAlarm(this, {
      ...common,
      name: 'CacheReplicationLagHigh',
      summary: `A replica of Valkey replication group ${group} has lagged its primary by more than ${thresholds.replicationLagSeconds} s for 10 minutes.`,
      // Only replicas publish ReplicationLag; the MAX ignores the primary, whichever node it is.
      metric: overNodes(
        'MAX',
        'ReplicationLag',
        cloudwatch.Stats.MAXIMUM,
        'Largest replication lag of any replica (s)',
      ),
      threshold: thresholds.replicationLagSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
    });
    this.alarms = alarms;
  }
}
