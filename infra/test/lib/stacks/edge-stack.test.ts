import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { latencyOriginName, regionalOriginName } from '../../../config/api-domain-names';
import { allRegions, EDGE_REGION, loadPlatformConfig } from '../../../config/platform-config';
import { EdgeStack } from '../../../lib/stacks/edge-stack';

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
        Dimensions: Match.arrayWith([{ Name: 'WebACL', Value: `api-platform-${envName}` }]),
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
