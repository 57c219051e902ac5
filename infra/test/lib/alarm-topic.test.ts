import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlarmTopic } from '../../lib/alarm-topic';

describe('AlarmTopic', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack', {
      env: { account: '111111111111', region: 'eu-west-1' },
    });
    // WHEN
    new AlarmTopic(stack, 'Alarms', { topicName: 'test-alarms' });
    template = Template.fromStack(stack);
  });

  test('encrypts the topic with a rotated customer key, kept by default', () => {
    // THEN
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'test-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsKey'), 'Arn'] },
    });
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  test('lets CloudWatch, and only this account alarms, publish; refuses requests without TLS', () => {
    // THEN
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
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
            Resource: { Ref: Match.stringLikeRegexp('^AlarmsTopic') },
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
