import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { SeverityTopics } from './alert-topics';
import { addManagedAlarm } from './managed-alarm';

/** Properties of an {@link AlertmanagerHeartbeat}. */
export interface AlertmanagerHeartbeatProps {
  /** Name of the topic the watched region's Alertmanager publishes its Watchdog alert to. */
  readonly topicName: string;
  /** Region whose Alertmanager is watched; named in the alarm. */
  readonly watchedRegion: string;
  /** Minutes without a heartbeat before the alarm fires; rounded up to whole 5-minute periods. */
  readonly missingMinutes: number;
  /** The topics of each severity of this stack's region: the alarm pages through them. */
  readonly alarmTopics: SeverityTopics;
  /** Prefix of the alarm name, for example `api-platform-prod-eu-west-1` (the watched region's). */
  readonly alarmNamePrefix: string;
}

/** The AWS managed key of SNS. */
const SNS_MANAGED_KEY_ALIAS = 'alias/aws/sns';

/**
 * SNS reports a topic's metrics to CloudWatch every 5 minutes ("Monitoring Amazon SNS topics using CloudWatch",
 * SNS Developer Guide), so shorter periods would read as silence.
 */
const SNS_METRIC_PERIOD = Duration.minutes(5);

/**
 * The dead man's switch of another region's Alertmanager: a topic its always-firing Watchdog alert is published
 * to every minute, and an alarm that pages from this region when the topic has heard nothing for
 * `missingMinutes`. It fires when the watched region's cluster, Prometheus, Alertmanager or the whole region is
 * gone, and also until the watched region's first deploy has its Alertmanager running.
 */
export class AlertmanagerHeartbeat extends Construct {
  /** The topic the watched Alertmanager publishes to. */
  public readonly topic: sns.Topic;
  /** The alarm on the topic's silence. */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AlertmanagerHeartbeatProps) {
    super(scope, id);
    if (!Number.isInteger(props.missingMinutes) || props.missingMinutes < 10) {
      throw new Error(`missingMinutes must be an integer of at least 10, got ${props.missingMinutes}`);
    }

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: props.topicName,
      enforceSSL: true,
    });
    // The AWS managed key of SNS: its policy lets any principal of the account use it through SNS, so the publisher
    // in another region needs sns:Publish only ("AWS managed keys", KMS Developer Guide; "Key management", SNS
    // Developer Guide, names it `alias/aws/sns`). Heartbeats carry no data worth a customer key.
    (this.topic.node.defaultChild as sns.CfnTopic).kmsMasterKeyId = SNS_MANAGED_KEY_ALIAS;

    const periods = Math.ceil(props.missingMinutes / SNS_METRIC_PERIOD.toMinutes());
    this.alarm = addManagedAlarm(this, {
      name: 'AlertmanagerHeartbeatMissing',
      namePrefix: props.alarmNamePrefix,
      summary: `The Alertmanager of ${props.watchedRegion} has not published its heartbeat to ${props.topicName} for ${periods * SNS_METRIC_PERIOD.toMinutes()} minutes: no Prometheus alert of that region can reach anyone.`,
      metric: this.topic.metricNumberOfMessagesPublished({
        period: SNS_METRIC_PERIOD,
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: periods,
      // No data is exactly what a dead Alertmanager looks like.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      topics: props.alarmTopics,
    });
  }
}
