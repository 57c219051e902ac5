import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { latencyOriginName, regionalOriginName } from '../../../config/api-domain-names';
import { allRegions, EDGE_REGION, loadPlatformConfig } from '../../../config/platform-config';
import { MANAGED_ALARM_NAMES } from '../../../lib/managed-alarm';
import { EdgeStack } from '../../../lib/stacks/edge-stack';
import { alarmsByRunbook, onlyResource, watchedMetrics } from '../../helpers/alarm-dimensions';

describe('EdgeStack', () => {
  test.each(['dev', 'prod'])('puts the %s web ACL in us-east-1 with the configured limits', (envName) => {
    // GIVEN
    const config = loadPlatformConfig(envName);
    // WHEN
    const stack = new EdgeStack(new App(), 'Edge', { config });
    // THEN
    expect(EDGE_REGION).toBe('us-east-1');
    expect(stack.region).toBe('us-east-1');
    expect(stack.account).toBe(config.account);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: `api-platform-${envName}`,
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Statement: {
            RateBasedStatement: Match.objectLike({ Limit: config.edge.requestsPerIpPer5Minutes }),
          },
        }),
      ]),
      Tags: Match.arrayWith([{ Key: 'env', Value: envName }]),
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: config.protectData ? 'Retain' : 'Delete' });
  });

  test.each(['dev', 'prod'])(
    'alarms on a %s spike of blocked requests at the configured threshold, to an encrypted us-east-1 topic',
    (envName) => {
      // GIVEN
      const config = loadPlatformConfig(envName);
      // WHEN
      const template = Template.fromStack(new EdgeStack(new App(), 'Edge', { config }));
      // THEN
      const topics = template.findResources('AWS::SNS::Topic', {
        Properties: { TopicName: `api-platform-${envName}-edge-ticket` },
      });
      const [topicId] = Object.keys(topics);
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `api-platform-${envName}-edge-ticket`,
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertTopicsKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `api-platform-${envName}-edge-WafBlockedRequestsSpike`,
        Threshold: config.alarms.edge.wafBlockedRequestsPer5Minutes,
        AlarmActions: [{ Ref: topicId }],
        Tags: Match.arrayWith([{ Key: 'env', Value: envName }]),
      });
    },
  );
});

describe('EdgeStack distribution', () => {
  test.each(['dev', 'prod'])(
    'puts the %s web ACL on the distribution and fails over between origin names derived from the config',
    (envName) => {
      // GIVEN
      const config = loadPlatformConfig(envName);
      // WHEN
      const stack = new EdgeStack(new App(), 'Edge', { config });
      // THEN
      const template = Template.fromStack(stack);
      const [webAclId] = Object.keys(template.findResources('AWS::WAFv2::WebACL'));
      const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
      const distributionConfig = distribution.Properties.DistributionConfig;
      expect(distributionConfig.WebACLId).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
      expect(distributionConfig.Aliases).toEqual([config.domain.apiDomainName]);
      const [primary, failover] = allRegions(config);
      const originNames = distributionConfig.Origins.map(
        (origin: { DomainName: string }) => origin.DomainName,
      );
      expect(originNames).toEqual(
        expect.arrayContaining([
          regionalOriginName(config, primary),
          regionalOriginName(config, failover),
          latencyOriginName(config),
        ]),
      );
      expect(distributionConfig.OriginGroups.Items[0].FailoverCriteria.StatusCodes.Items).toEqual([
        500, 502, 503, 504,
      ]);
    },
  );
});

describe('EdgeStack alarm dimensions', () => {
  // GIVEN / WHEN
  const template = Template.fromStack(
    new EdgeStack(new App(), 'Edge', { config: loadPlatformConfig('prod') }),
  );
  const alarms = alarmsByRunbook(template);

  /** What each edge alarm must watch, read from the resource it watches in the same template. */
  const expected: Record<string, () => object> = {
    // AWS WAF Developer Guide, "AWS WAF metrics and dimensions": WebACL is the ACL's metric name, no Region at CLOUDFRONT scope.
    WafBlockedRequestsSpike: () => {
      const webAcl = onlyResource(template, 'AWS::WAFv2::WebACL').properties;
      const visibility = webAcl.VisibilityConfig as { MetricName: string; CloudWatchMetricsEnabled: boolean };
      expect(visibility.CloudWatchMetricsEnabled).toBe(true);
      return {
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensions: { WebACL: visibility.MetricName, Rule: 'ALL' },
      };
    },
    // CloudFront Developer Guide, "Types of metrics for CloudFront": DistributionId, and Region always Global.
    CloudFront5xxErrorRateHigh: () => ({
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      dimensions: {
        DistributionId: { Ref: onlyResource(template, 'AWS::CloudFront::Distribution').id },
        Region: 'Global',
      },
    }),
  };

  test('has a dimension check for every alarm of the stack, and every alarm is a managed one', () => {
    // THEN
    expect(Object.keys(alarms).sort()).toEqual(Object.keys(expected).sort());
    for (const name of Object.keys(alarms)) expect(MANAGED_ALARM_NAMES).toContain(name);
  });

  test.each(Object.keys(expected))(
    '%s watches the metric its resource publishes, by its dimensions',
    (name) => {
      // THEN
      expect(watchedMetrics(alarms[name])).toEqual([expected[name]()]);
    },
  );
});
