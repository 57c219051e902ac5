import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlertTopics } from '../../lib/alert-topics';

describe('AlertTopics', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack', {
      env: { account: '111111111111', region: 'eu-west-1' },
    });
    // WHEN
    new AlertTopics(stack, 'Alerts', {
      namePrefix: 'test',
      subscribers: {
        page: [{ httpsEndpointParameter: '/test/alerting/pager-url' }, { email: 'oncall@example.com' }],
        ticket: [{ email: 'team@example.com' }],
      },
    });
    template = Template.fromStack(stack);
  });

  test('makes one topic per severity, both encrypted with one rotated customer key, kept by default', () => {
    // THEN
    for (const severity of ['page', 'ticket']) {
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `test-${severity}`,
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
      });
    }
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  test('subscribes each severity’s people, and reads a pager URL from SSM at deploy so it never enters the template', () => {
    // THEN
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: Match.stringLikeRegexp('^AlertsPageTopic') },
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: Match.stringLikeRegexp('^AlertsTicketTopic') },
      Protocol: 'email',
      Endpoint: 'team@example.com',
    });
    const [parameterId, parameter] = Object.entries(
      template.toJSON().Parameters as Record<string, { Type: string; Default?: string }>,
    ).find(([, p]) => p.Default === '/test/alerting/pager-url')!;
    expect(parameter.Type).toBe('AWS::SSM::Parameter::Value<String>');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: Match.stringLikeRegexp('^AlertsPageTopic') },
      Protocol: 'https',
      Endpoint: { Ref: parameterId },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 3);
  });

  test('lets CloudWatch, and only this account alarms, publish; refuses requests without TLS', () => {
    // THEN
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^AlertsPageTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: Match.stringLikeRegexp('^AlertsPageTopic') },
            Condition: {
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:111111111111:alarm:*'],
                  ],
                },
              },
              StringEquals: { 'aws:SourceAccount': '111111111111' },
            },
          },
        ]),
      },
    });
    template.resourceCountIs('AWS::SNS::TopicPolicy', 2);
  });

  test('lets CloudWatch use the key, as it must to publish to an encrypted topic', () => {
    // THEN
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
          },
        ]),
      },
    });
  });
});
