import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertmanagerHeartbeat, type AlertmanagerHeartbeatProps } from '../../lib/alertmanager-heartbeat';

function synth(props: Partial<AlertmanagerHeartbeatProps> = {}): Template {
  // GIVEN
  const stack = new Stack(new App(), 'Watcher', { env: { account: '111111111111', region: 'us-east-1' } });
  // WHEN
  new AlertmanagerHeartbeat(stack, 'Heartbeat', {
    topicName: 'test-eu-west-1-heartbeat',
    watchedRegion: 'eu-west-1',
    missingMinutes: 12,
    alarmTopics: { page: new sns.Topic(stack, 'Page'), ticket: new sns.Topic(stack, 'Ticket') },
    alarmNamePrefix: 'test-eu-west-1',
    ...props,
  });
  return Template.fromStack(stack);
}

describe('AlertmanagerHeartbeat', () => {
  test("pages when the topic has heard nothing for the given minutes, rounded up to SNS's 5-minute periods", () => {
    // WHEN
    const template = synth();
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'test-eu-west-1-AlertmanagerHeartbeatMissing',
      Namespace: 'AWS/SNS',
      MetricName: 'NumberOfMessagesPublished',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 3,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      // A dead Alertmanager publishes nothing, so CloudWatch has no data at all.
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Page') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^Page') }],
      AlarmDescription: Match.stringLikeRegexp('^The Alertmanager of eu-west-1 .* 15 minutes'),
    });
  });

  test('encrypts the topic with the AWS managed key, which a publisher of the account may use through SNS, over TLS only', () => {
    // WHEN
    const template = synth();
    // THEN
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'test-eu-west-1-heartbeat',
      KmsMasterKeyId: 'alias/aws/sns',
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  test('refuses a silence SNS metrics cannot tell from a late period', () => {
    // THEN
    expect(() => synth({ missingMinutes: 5 })).toThrow(
      /missingMinutes must be an integer of at least 10, got 5/,
    );
  });
});
