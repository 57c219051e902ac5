// One way to create the CloudWatch alarms of the managed parts: named after their runbook, routed to a topic.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { runbookUrl } from '../../dashboards/links';
import type { Severity } from '../../dashboards/slo/burn-rate-windows';
import type { SeverityTopics } from './alert-topics';

/**
 * Every CloudWatch alarm the app creates, by the name of its runbook (`runbooks/alerts/<name>.md`), with who it
 * tells. Symptoms users feel, and the loss of the alerting path itself, page; causes open a ticket (SRE workbook,
 * "Alerting on SLOs": page on symptoms). A test fails if a synthesized alarm is not listed here, if a name has no
 * runbook, or if a runbook has no alarm or alert.
 */
export const MANAGED_ALARM_SEVERITIES = {
  AuroraCpuHigh: 'ticket',
  AuroraFreeableMemoryLow: 'ticket',
  AuroraConnectionsNearMax: 'ticket',
  AuroraReplicaLagHigh: 'ticket',
  AuroraGlobalReplicationLagHigh: 'ticket',
  CacheEngineCpuHigh: 'ticket',
  CacheEvictionsHigh: 'ticket',
  CacheMemoryHigh: 'ticket',
  CacheReplicationLagHigh: 'ticket',
  // Users get errors from the edge: a symptom, whatever the cause.
  CloudFront5xxErrorRateHigh: 'page',
  WafBlockedRequestsSpike: 'ticket',
  // The region has left DNS; the other regions serve, but the platform has lost a region's capacity.
  ApiRegionNoHealthyTargets: 'page',
  // Nothing can page from that region any more: its cluster, Prometheus or Alertmanager is gone.
  AlertmanagerHeartbeatMissing: 'page',
} as const satisfies Readonly<Record<string, Severity>>;

/** Name of one of the app's CloudWatch alarms, and of its runbook. */
export type ManagedAlarmName = keyof typeof MANAGED_ALARM_SEVERITIES;

/** The names of every CloudWatch alarm the app creates. */
export const MANAGED_ALARM_NAMES = Object.keys(MANAGED_ALARM_SEVERITIES) as readonly ManagedAlarmName[];

/** What a managed alarm watches and when it fires. */
export interface ManagedAlarmOptions {
  /** Runbook name; the alarm is called `<namePrefix>-<name>`. */
  readonly name: ManagedAlarmName;
  /** Prefix making the alarm name unique in the account and region, for example `api-platform-prod-eu-west-1`. */
  readonly namePrefix: string;
  /** One sentence saying what is wrong, with the threshold, put before the runbook link in the description. */
  readonly summary: string;
  /** Metric or expression watched. */
  readonly metric: cloudwatch.IMetric;
  /** Value compared with the metric. */
  readonly threshold: number;
  /** How the metric is compared with the threshold. */
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  /** Consecutive periods past the threshold before the alarm fires. */
  readonly evaluationPeriods: number;
  /** The topics of each severity: the alarm's own severity ({@link MANAGED_ALARM_SEVERITIES}) picks one. */
  readonly topics: SeverityTopics;
  /**
   * What a period without data means.
   * @default cloudwatch.TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/**
 * Creates the alarm `<namePrefix>-<name>` whose description ends with its runbook's URL, notifying the topic of
 * its severity when it fires and when it recovers.
 */
export function addManagedAlarm(scope: Construct, options: ManagedAlarmOptions): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, options.name, {
    alarmName: `${options.namePrefix}-${options.name}`,
    alarmDescription: `${options.summary} Runbook: ${runbookUrl(options.name)}`,
    metric: options.metric,
    threshold: options.threshold,
    comparisonOperator: options.comparisonOperator,
    evaluationPeriods: options.evaluationPeriods,
    treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const action = new cloudwatchActions.SnsAction(options.topics[MANAGED_ALARM_SEVERITIES[options.name]]);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
