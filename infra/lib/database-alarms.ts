import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { DatabaseAlarmThresholds } from '../config/alarm-thresholds';
import type { GlobalClusterRole } from './aurora-global-database';
import { auroraDefaultMaxConnections, auroraInstanceMemoryBytes } from './aurora-instance-memory';
import type { SeverityTopics } from './alert-topics';
import { addManagedAlarm, ManagedAlarmName } from './managed-alarm';

/** Properties of a {@link DatabaseAlarms}. */
export interface DatabaseAlarmsProps {
  /** The regional Aurora cluster watched. */
  readonly cluster: rds.IDatabaseCluster;
  /** Its part in the Global Database: only a secondary has a cross-region replication lag. */
  readonly role: GlobalClusterRole;
  /**
   * Region of the Global Database's primary cluster, the `SourceRegion` dimension of a secondary's replication lag.
   * @default - none; required when `role` is 'secondary'
   */
  readonly sourceRegion?: string;
  /** Class of the cluster's instances, from which the memory and connection thresholds are derived. */
  readonly instanceType: ec2.InstanceType;
  /** Whether the cluster has Aurora Replicas, so that an in-region replica lag exists. */
  readonly hasReplicas: boolean;
  /** Thresholds from the platform configuration. */
  readonly thresholds: DatabaseAlarmThresholds;
  /** The topics of each severity the alarms notify (in this stack's region). */
  readonly alarmTopics: SeverityTopics;
  /** Prefix of the alarm names, unique in the account and region. */
  readonly alarmNamePrefix: string;
}

const PERIOD = Duration.minutes(5);

/**
 * CloudWatch alarms on one Aurora cluster for what the service's Prometheus metrics cannot show: instance CPU,
 * freeable memory, connections against `max_connections`, in-region replica lag and, on a secondary cluster,
 * the Global Database's cross-region replication lag. Each names its runbook.
 */
export class DatabaseAlarms extends Construct {
  /** The alarms, by runbook name. */
  public readonly alarms: Readonly<Partial<Record<ManagedAlarmName, cloudwatch.Alarm>>>;

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);

    const { cluster, thresholds } = props;
    if (props.role === 'secondary' && props.sourceRegion === undefined) {
      throw new Error("sourceRegion must name the primary cluster's region when role is 'secondary'");
    }
    if (props.role === 'secondary' && props.sourceRegion === Stack.of(this).region) {
      throw new Error(
        `sourceRegion must be the primary's region, not the secondary's own (${props.sourceRegion})`,
      );
    }
    const memoryBytes = auroraInstanceMemoryBytes(props.instanceType);
    const maxConnections = auroraDefaultMaxConnections(props.instanceType);
    // Every metric below is the cluster's (`DBClusterIdentifier`, from the cluster construct, never retyped): Aurora
    // User Guide, "Amazon CloudWatch dimensions for Aurora" and "Amazon CloudWatch metrics for Amazon Aurora".
    const clusterName = cluster.clusterIdentifier;
    const common = { namePrefix: props.alarmNamePrefix, topics: props.alarmTopics };
    const alarms: Partial<Record<ManagedAlarmName, cloudwatch.Alarm>> = {};

    alarms.AuroraCpuHigh = addManagedAlarm(this, {
      ...common,
      name: 'AuroraCpuHigh',
      summary: `An instance of Aurora cluster ${clusterName} has used more than ${thresholds.cpuPercent}% CPU for 15 minutes.`,
      metric: cluster.metricCPUUtilization({ statistic: cloudwatch.Stats.MAXIMUM, period: PERIOD }),
      threshold: thresholds.cpuPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    const freeableBytes = Math.floor((memoryBytes * thresholds.freeableMemoryPercent) / 100);
    alarms.AuroraFreeableMemoryLow = addManagedAlarm(this, {
      ...common,
      name: 'AuroraFreeableMemoryLow',
      summary: `An instance of Aurora cluster ${clusterName} has had less than ${thresholds.freeableMemoryPercent}% of its ${props.instanceType} memory (${freeableBytes} bytes) free for 15 minutes.`,
      metric: cluster.metricFreeableMemory({ statistic: cloudwatch.Stats.MINIMUM, period: PERIOD }),
      threshold: freeableBytes,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    const connections = Math.floor((maxConnections * thresholds.connectionsPercentOfMax) / 100);
    alarms.AuroraConnectionsNearMax = addManagedAlarm(this, {
      ...common,
      name: 'AuroraConnectionsNearMax',
      summary: `An instance of Aurora cluster ${clusterName} has held more than ${connections} connections (${thresholds.connectionsPercentOfMax}% of max_connections ${maxConnections} for ${props.instanceType}) for 10 minutes.`,
      metric: cluster.metricDatabaseConnections({ statistic: cloudwatch.Stats.MAXIMUM, period: PERIOD }),
      threshold: connections,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
    });
    if (props.hasReplicas) {
      alarms.AuroraReplicaLagHigh = addManagedAlarm(this, {
        ...common,
        name: 'AuroraReplicaLagHigh',
        summary: `A reader of Aurora cluster ${clusterName} has lagged its writer by more than ${thresholds.replicaLagMs} ms for 10 minutes.`,
        metric: cluster.metric('AuroraReplicaLag', { statistic: cloudwatch.Stats.MAXIMUM, period: PERIOD }),
        threshold: thresholds.replicaLagMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
      });
    }
    if (props.role === 'secondary') {
      alarms.AuroraGlobalReplicationLagHigh = addManagedAlarm(this, {
        ...common,
        name: 'AuroraGlobalReplicationLagHigh',
        summary: `Secondary Aurora cluster ${clusterName} has lagged the primary region by more than ${thresholds.globalReplicationLagMs} ms for 10 minutes.`,
        // Published in the secondary's region only, by DBClusterIdentifier and SourceRegion (the primary's region),
        // and not by DBClusterIdentifier alone: Aurora User Guide, "Amazon CloudWatch metrics for Amazon Aurora"
        // (AuroraGlobalDBReplicationLag) and "Amazon CloudWatch dimensions for Aurora" (SourceRegion).
        metric: new cloudwatch.Metric({
          namespace: 'AWS/RDS',
          metricName: 'AuroraGlobalDBReplicationLag',
          dimensionsMap: { DBClusterIdentifier: clusterName, SourceRegion: props.sourceRegion as string },
          statistic: cloudwatch.Stats.MAXIMUM,
          period: PERIOD,
        }),
        threshold: thresholds.globalReplicationLagMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
      });
    }
    this.alarms = alarms;
  }
}
