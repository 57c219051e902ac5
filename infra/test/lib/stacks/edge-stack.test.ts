import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EDGE_REGION, loadPlatformConfig } from '../../../config/platform-config';
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
});
