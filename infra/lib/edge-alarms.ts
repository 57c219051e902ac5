import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { EdgeAlarmThresholds } from '../config/alarm-thresholds';
import type { SeverityTopics } from './alert-topics';
import { addManagedAlarm, ManagedAlarmName } from './managed-alarm';

/** Properties of an {@link EdgeAlarms}. */
export interface EdgeAlarmsProps {
  /** The CLOUDFRONT-scope web ACL watched for a spike of blocked requests. */
  readonly webAcl: wafv2.CfnWebACL;
  /**
   * The CloudFront distribution watched for its 5xx rate.
   * @default - no CloudFront alarm (the app has no distribution yet)
   */
  readonly distribution?: cloudfront.IDistribution;
  /** Thresholds from the platform configuration. */
  readonly thresholds: EdgeAlarmThresholds;
  /** The topics of each severity the alarms notify (in this stack's region). */
  readonly alarmTopics: SeverityTopics;
  /** Prefix of the alarm names, unique in the account and region. */
  readonly alarmNamePrefix: string;
}

/** CloudFront and CLOUDFRONT-scope WAF publish their metrics in us-east-1 only. */
const EDGE_METRICS_REGION = 'us-east-1';

const PERIOD = Duration.minutes(5);

/**
 * CloudWatch alarms at the edge, in us-east-1: the CloudFront distribution's 5xx error rate and a spike of requests
 * blocked by the web ACL (an attack, or a rule blocking legitimate clients). Each names its runbook.
 */
export class EdgeAlarms extends Construct {
  /** The alarms, by runbook name. */
  public readonly alarms: Readonly<Partial<Record<ManagedAlarmName, cloudwatch.Alarm>>>;

  constructor(scope: Construct, id: string, props: EdgeAlarmsProps) {
    super(scope, id);

    const region = Stack.of(this).region;
    if (Token.isUnresolved(region) || region !== EDGE_METRICS_REGION) {
      throw new Error(
        `EdgeAlarms watch metrics published in ${EDGE_METRICS_REGION} only and must be in a stack there, got ${region}`,
      );
    }
    const webAclName = props.webAcl.name;
    const webAclMetricName = webAclMetricNameOf(props.webAcl);
    if (props.webAcl.scope !== 'CLOUDFRONT') {
      throw new Error(`webAcl must have CLOUDFRONT scope, got ${props.webAcl.scope}`);
    }
    const { thresholds } = props;
    const common = { namePrefix: props.alarmNamePrefix, topics: props.alarmTopics };
    const alarms: Partial<Record<ManagedAlarmName, cloudwatch.Alarm>> = {};

    alarms.WafBlockedRequestsSpike = addManagedAlarm(this, {
      ...common,
      name: 'WafBlockedRequestsSpike',
      summary: `Web ACL ${webAclName ?? webAclMetricName} has blocked more than ${thresholds.wafBlockedRequestsPer5Minutes} requests in 5 minutes.`,
      // AWS WAF Developer Guide, "AWS WAF metrics and dimensions": `WebACL` is the web ACL's metric name (its
      // visibilityConfig's, not its name); a CLOUDFRONT-scope ACL has `Rule` and `WebACL` but no `Region`; Rule ALL is
      // every request the whole ACL blocked.
      metric: new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: webAclMetricName, Rule: 'ALL' },
        statistic: cloudwatch.Stats.SUM,
        period: PERIOD,
      }),
      threshold: thresholds.wafBlockedRequestsPer5Minutes,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    if (props.distribution !== undefined) {
      alarms.CloudFront5xxErrorRateHigh = addManagedAlarm(this, {
        ...common,
        name: 'CloudFront5xxErrorRateHigh',
        summary: `More than ${thresholds.cloudFront5xxErrorRatePercent}% of the requests to CloudFront distribution ${props.distribution.distributionId} got a 5xx for 10 minutes.`,
        // CloudFront Developer Guide, "Types of metrics for CloudFront": every distribution metric has the dimensions
        // DistributionId and Region, whose value is always Global; they are read from us-east-1.
        metric: new cloudwatch.Metric({
          namespace: 'AWS/CloudFront',
          metricName: '5xxErrorRate',
          dimensionsMap: { DistributionId: props.distribution.distributionId, Region: 'Global' },
          statistic: cloudwatch.Stats.AVERAGE,
          period: PERIOD,
        }),
        threshold: thresholds.cloudFront5xxErrorRatePercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
      });
    }
    this.alarms = alarms;
  }
}

/**
 * The web ACL's own metric name, the `WebACL` dimension of its CloudWatch metrics: read from its `visibilityConfig`,
 * so the alarm follows any rename. Throws if the ACL publishes no metrics or the name is only known at deploy time.
 */
function webAclMetricNameOf(webAcl: wafv2.CfnWebACL): string {
  const visibility = webAcl.visibilityConfig as wafv2.CfnWebACL.VisibilityConfigProperty;
  if (Token.isUnresolved(visibility) || Token.isUnresolved(visibility.cloudWatchMetricsEnabled)) {
    throw new Error('webAcl must have a literal visibilityConfig: its metricName is the WebACL dimension');
  }
  if (visibility.cloudWatchMetricsEnabled !== true) {
    throw new Error(
      'webAcl must have visibilityConfig.cloudWatchMetricsEnabled true, or it publishes no metrics',
    );
  }
  if (Token.isUnresolved(visibility.metricName)) {
    throw new Error('webAcl must have a literal visibilityConfig.metricName: it is the WebACL dimension');
  }
  return visibility.metricName;
}
