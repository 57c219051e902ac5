import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EdgeWebAcl, EdgeWebAclProps } from '../../lib/edge-web-acl';

const baseProps: EdgeWebAclProps = {
  name: 'api-test',
  requestsPerIpPer5Minutes: 2_000,
  maxRequestBodyBytes: 1_048_576,
};

function synth(props: Partial<EdgeWebAclProps> = {}, region = 'us-east-1'): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region } });
  new EdgeWebAcl(stack, 'WebAcl', { ...baseProps, ...props });
  return Template.fromStack(stack);
}

describe('EdgeWebAcl', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = synth();
  });

  test('is a CLOUDFRONT-scoped web ACL that allows by default', () => {
    // THEN
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: 'api-test',
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
    });
  });

  test('runs the AWS managed groups for IP reputation, common attacks, known bad inputs and SQL injection', () => {
    // THEN
    const rules = template.findResources('AWS::WAFv2::WebACL');
    const [webAcl] = Object.values(rules);
    const managed = webAcl.Properties.Rules.filter(
      (rule: { Statement: Record<string, unknown> }) => rule.Statement.ManagedRuleGroupStatement,
    );
    expect(managed.map((rule: { Name: string }) => rule.Name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesSQLiRuleSet',
    ]);
    for (const rule of managed) {
      expect(rule.OverrideAction).toEqual({ None: {} });
    }
  });

  test('counts instead of blocking the common set’s 8 KB body rule, which the API’s own limit replaces', () => {
    // THEN
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'AWSManagedRulesCommonRuleSet',
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            }),
          },
        }),
      ]),
    });
  });

  test('blocks a client IP above the rate limit', () => {
    // THEN
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: { Limit: 2_000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
          },
        }),
      ]),
    });
  });

  test('answers 413 to a Content-Length above the body limit', () => {
    // GIVEN
    const [webAcl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
    const rule = webAcl.Properties.Rules.find(
      (candidate: { Name: string }) => candidate.Name === 'BodyTooLarge',
    );
    // THEN
    expect(rule.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 413 } } });
    expect(rule.Statement.RegexMatchStatement.FieldToMatch).toEqual({
      SingleHeader: { Name: 'content-length' },
    });
    const pattern = new RegExp(rule.Statement.RegexMatchStatement.RegexString);
    expect(pattern.test('1048576')).toBe(false);
    expect(pattern.test('1048577')).toBe(true);
  });

  test('logs to an aws-waf-logs-* group with the authorization and cookie headers redacted', () => {
    // THEN
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { LogGroupName: 'aws-waf-logs-api-test', RetentionInDays: 365 },
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
    // The destination is the log group's ARN without the ':*' suffix, which WAF rejects.
    const [logging] = Object.values(template.findResources('AWS::WAFv2::LoggingConfiguration'));
    const destination = JSON.stringify(logging.Properties.LogDestinationConfigs);
    expect(destination).toMatch(
      /:logs:us-east-1:111111111111:log-group:",\{"Ref":"WebAclLogs[0-9A-F]+"\}\]\]\}\]$/,
    );
  });

  test('removes its logs with the stack when asked', () => {
    // THEN
    synth({ removalPolicy: RemovalPolicy.DESTROY }).hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Delete',
    });
  });

  test('refuses any region but us-east-1', () => {
    // THEN
    expect(() => synth({}, 'eu-west-1')).toThrow(/must be in a stack with region us-east-1, got eu-west-1/);
  });

  test('rejects a rate limit WAF does not accept', () => {
    // THEN
    expect(() => synth({ requestsPerIpPer5Minutes: 50 })).toThrow(
      /requestsPerIpPer5Minutes must be an integer of at least 100/,
    );
  });

  test('rejects a name WAF does not accept', () => {
    // THEN
    expect(() => synth({ name: 'bad name' })).toThrow(
      /name 'bad name' must be 1-100 letters, digits or hyphens/,
    );
  });
});
