// One way to create the CloudWatch alarms of the managed parts: named after their runbook, routed to a topic.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { runbookUrl } from '../../dashboards/links';

/**
 * Every CloudWatch alarm the app creates, by the name of its runbook (`runbooks/alerts/<name>.md`). A test fails
 * if a synthesized alarm is not listed here, if a name has no runbook, or if a runbook has no alarm or alert.
 */
export const MANAGED_ALARM_NAMES = [
  'AuroraCpuHigh',
  'AuroraFreeableMemoryLow',
  'AuroraConnectionsNearMax',
  'AuroraReplicaLagHigh',
  'AuroraGlobalReplicationLagHigh',
  'CacheEngineCpuHigh',
  'CacheEvictionsHigh',
  'CacheMemoryHigh',
  'CacheReplicationLagHigh',
  'CloudFront5xxErrorRateHigh',
  'WafBlockedRequestsSpike',
  'ApiRegionNoHealthyTargets',
] as const;

/** Name of one of the app's CloudWatch alarms, and of its runbook. */
export type ManagedAlarmName = (typeof MANAGED_ALARM_NAMES)[number];

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
  /** Topic told when the alarm fires and when it recovers. */
  readonly topic: sns.ITopic;
  /**
   * What a period without data means.
   * @default cloudwatch.TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/** Creates the alarm `<namePrefix>-<name>` whose description ends with its runbook's URL, notifying `topic`. */
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
  const action = new cloudwatchActions.SnsAction(options.topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
