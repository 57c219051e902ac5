import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { checkAlertSubscriptions } from '../../verify/check-alert-subscriptions';
import { platformStacks } from '../../verify/platform-stacks';
import { physicalIdsOfType, RESOURCE_TYPES } from '../../verify/stack-resources';
import { healthyRecording, recordedClients, type AwsRecording } from './helpers/recorded-aws';

describe('checkAlertSubscriptions', () => {
  const config = loadPlatformConfig('dev');
  const [stack] = platformStacks(config).filter((candidate) => candidate.kind === 'regional');
  const topicArns = (recording: AwsRecording) =>
    physicalIdsOfType(recording.stacks.get(stack.stackName)!.resources, RESOURCE_TYPES.topic);
  const check = (recording: AwsRecording) =>
    checkAlertSubscriptions(
      recordedClients(recording).sns(stack.region),
      stack.region,
      stack.stackName,
      topicArns(recording),
    );
  const pageTopic = `arn:aws:sns:${stack.region}:${config.account}:${stack.stackName}-page`;

  test('passes when the page and ticket topics each have a confirmed subscriber, and ignores the heartbeat topic', async () => {
    // GIVEN
    const recording = healthyRecording(config);
    // WHEN
    const result = await check(recording);
    // THEN
    expect(result).toEqual({
      ok: true,
      region: stack.region,
      name: `alert subscriptions of ${stack.stackName}`,
      detail: 'confirmed: page 1, ticket 1',
    });
    expect(recording.calls.map((call) => call.input.TopicArn)).toEqual([
      pageTopic,
      pageTopic.replace(/-page$/, '-ticket'),
    ]);
  });

  test('fails, naming the address, while an email subscription waits for its confirmation', async () => {
    // GIVEN the address has not followed the link SNS sent it
    const recording = healthyRecording(config);
    recording.subscriptions.set(pageTopic, [
      {
        TopicArn: pageTopic,
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
        SubscriptionArn: 'PendingConfirmation',
      },
    ]);
    // WHEN
    const result = await check(recording);
    // THEN
    expect(result.ok).toBe(false);
    expect(result.detail).toBe('page: waiting for email oncall@example.com to confirm');
  });

  test('fails when a topic has nobody subscribed, or the stack has no such topic', async () => {
    // GIVEN
    const recording = healthyRecording(config);
    recording.subscriptions.set(pageTopic, []);
    const stackResources = recording.stacks.get(stack.stackName)!.resources;
    const ticket = stackResources.findIndex((resource) => resource.PhysicalResourceId?.endsWith('-ticket'));
    stackResources.splice(ticket, 1);
    // WHEN
    const result = await check(recording);
    // THEN
    expect(result.detail).toBe('page: nobody is subscribed; no ticket topic');
  });

  test('reads every page of a topic with many subscribers', async () => {
    // GIVEN 150 confirmed subscribers, the last one pending
    const recording = healthyRecording(config);
    recording.subscriptions.set(
      pageTopic,
      Array.from({ length: 150 }, (_, i) => ({
        TopicArn: pageTopic,
        Protocol: 'email',
        Endpoint: `person${i}@example.com`,
        SubscriptionArn: i === 149 ? 'PendingConfirmation' : `${pageTopic}:${i}`,
      })),
    );
    // WHEN
    const result = await check(recording);
    // THEN
    expect(result.detail).toBe('page: waiting for email person149@example.com to confirm');
    expect(recording.calls.filter((call) => call.input.TopicArn === pageTopic)).toHaveLength(2);
  });
});
