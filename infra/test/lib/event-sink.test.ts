import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EventSink, EventSinkProps } from '../../lib/event-sink';

function synth(props: Partial<EventSinkProps> = {}): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const publisher = new iam.Role(stack, 'Publisher', { assumedBy: new iam.AccountRootPrincipal() });
  new EventSink(stack, 'Events', { queueName: 'test-events', publishers: [publisher], ...props });
  return Template.fromStack(stack);
}

/** The queue's logical id, found by its name. */
function queueId(template: Template, queueName: string): string {
  const [id] = Object.keys(
    template.findResources('AWS::SQS::Queue', { Properties: { QueueName: queueName } }),
  );
  return id;
}

describe('EventSink', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = synth();
  });

  test('encrypts the queue and its dead-letter queue with one rotated customer key', () => {
    // THEN
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const key = { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsKey'), 'Arn'] };
    for (const name of ['test-events', 'test-events-dlq']) {
      template.hasResourceProperties('AWS::SQS::Queue', { QueueName: name, KmsMasterKeyId: key });
    }
  });

  test('moves an event to the dead-letter queue after 5 receives, and keeps both 14 days', () => {
    // THEN
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'test-events',
      MessageRetentionPeriod: 1_209_600,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [queueId(template, 'test-events-dlq'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'test-events-dlq',
      MessageRetentionPeriod: 1_209_600,
    });
  });

  test('refuses every request to either queue that is not made over TLS', () => {
    // THEN
    for (const name of ['test-events', 'test-events-dlq']) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId(template, name) }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Principal: { AWS: '*' },
            }),
          ],
        },
      });
    }
  });

  test('lets the publishers send to the queue, read its attributes and use the key through SQS only, nothing else', () => {
    // THEN
    const policies = template.findResources('AWS::IAM::Policy');
    expect(Object.values(policies)).toHaveLength(1);
    const [policy] = Object.values(policies);
    expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^Publisher/) }]);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        Resource: { 'Fn::GetAtt': [queueId(template, 'test-events'), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EventsKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } },
      },
    ]);
  });

  test('retains queues and key by default and lets them go with DESTROY', () => {
    // THEN
    template.allResources('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
    template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    const disposable = synth({ removalPolicy: RemovalPolicy.DESTROY });
    disposable.allResources('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
    disposable.allResources('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test.each<[string, Partial<EventSinkProps>, RegExp]>([
    ['no publisher', { publishers: [] }, /publishers must name the roles that send events/],
    [
      'a maxReceiveCount of 0',
      { maxReceiveCount: 0 },
      /maxReceiveCount must be an integer between 1 and 1000, got 0/,
    ],
  ])('rejects %s', (_, props, message) => {
    // THEN
    expect(() => synth(props)).toThrow(message);
  });
});
