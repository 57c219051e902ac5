import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { loadPlatformConfig } from '../../config/platform-config';
import { EdgeAlarms, EdgeAlarmsProps } from '../../lib/edge-alarms';

const { edge: thresholds } = loadPlatformConfig('prod').alarms;

function synth(
  region = 'us-east-1',
  props: (stack: Stack) => Partial<EdgeAlarmsProps> = () => ({}),
  scope = 'CLOUDFRONT',
  cloudWatchMetricsEnabled = true,
): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region } });
  const webAcl = new wafv2.CfnWebACL(stack, 'WebAcl', {
    name: 'test-acl',
    scope,
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled, metricName: 'test-acl-all', sampledRequestsEnabled: true },
  });
  new EdgeAlarms(stack, 'Alarms', {
    webAcl,
    thresholds,
    alarmTopics: { page: new sns.Topic(stack, 'Page'), ticket: new sns.Topic(stack, 'Ticket') },
    alarmNamePrefix: 'test',
    ...props(stack),
  });
  return Template.fromStack(stack);
}

describe('EdgeAlarms', () => {
  test("watches requests blocked by the whole web ACL, named by the ACL's metric name (not its name), without Region", () => {
    // WHEN
    const template = synth();
    // THEN
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'test-WafBlockedRequestsSpike',
      Namespace: 'AWS/WAFV2',
      MetricName: 'BlockedRequests',
      Dimensions: [
        { Name: 'Rule', Value: 'ALL' },
        { Name: 'WebACL', Value: 'test-acl-all' },
      ],
      Statistic: 'Sum',
      Period: 300,
      Threshold: thresholds.wafBlockedRequestsPer5Minutes,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Ticket') }],
    });
  });

  test("watches the distribution's 5xx rate once a distribution is given", () => {
    // WHEN
    const template = synth('us-east-1', (stack) => ({
      distribution: cloudfront.Distribution.fromDistributionAttributes(stack, 'Distribution', {
        distributionId: 'E1234567890ABC',
        domainName: 'd111111abcdef8.cloudfront.net',
      }),
    }));
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'test-CloudFront5xxErrorRateHigh',
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
      Dimensions: [
        { Name: 'DistributionId', Value: 'E1234567890ABC' },
        { Name: 'Region', Value: 'Global' },
      ],
      Statistic: 'Average',
      Threshold: thresholds.cloudFront5xxErrorRatePercent,
      EvaluationPeriods: 2,
      // Users get errors: a symptom, so it pages.
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Page') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^Page') }],
    });
  });

  test('refuses a region where CloudFront and WAF publish no metrics, and a regional web ACL', () => {
    // THEN
    expect(() => synth('eu-west-1')).toThrow(/must be in a stack there, got eu-west-1/);
    expect(() => synth('us-east-1', () => ({}), 'REGIONAL')).toThrow(
      /webAcl must have CLOUDFRONT scope, got REGIONAL/,
    );
  });

  test('refuses a web ACL that publishes no CloudWatch metrics', () => {
    // THEN
    expect(() => synth('us-east-1', () => ({}), 'CLOUDFRONT', false)).toThrow(
      /visibilityConfig.cloudWatchMetricsEnabled true, or it publishes no metrics/,
    );
  });
});
