// Check 7: every alert topic of a stack tells someone. An email subscription delivers nothing until its address
// confirms it (SNS Developer Guide, "Email notifications"), and a pager's subscription until its endpoint does:
// until then an alarm fires into a topic nobody reads.
import { ListSubscriptionsByTopicCommand, SNSClient, Subscription } from '@aws-sdk/client-sns';
import type { Severity } from '../../dashboards/slo/burn-rate-windows';
import { CheckResult, failed, passed } from './verify-result';

/** The severities whose topics every stack creates, `<stack name>-<severity>` (infra/lib/alert-topics.ts). */
export const ALERT_SEVERITIES: readonly Severity[] = ['page', 'ticket'];

/** What ListSubscriptionsByTopic shows for a subscription its endpoint has not confirmed yet. */
const PENDING = 'PendingConfirmation';

/** Label of a stack's subscriptions line. */
export function subscriptionsLabel(stackName: string): string {
  return `alert subscriptions of ${stackName}`;
}

/** Every subscription of a topic, following ListSubscriptionsByTopic's pages. */
async function listSubscriptions(sns: SNSClient, topicArn: string): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }),
    );
    subscriptions.push(...(page.Subscriptions ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return subscriptions;
}

/**
 * Checks that the stack's `page` and `ticket` topics (found among `topicArns`, the stack's SNS topics) each have a
 * confirmed subscription; names the endpoints still pending. One line per stack.
 */
export async function checkAlertSubscriptions(
  sns: SNSClient,
  region: string,
  stackName: string,
  topicArns: readonly string[],
): Promise<CheckResult> {
  const label = subscriptionsLabel(stackName);
  const problems: string[] = [];
  const counts: string[] = [];
  for (const severity of ALERT_SEVERITIES) {
    const topicArn = topicArns.find((arn) => arn.endsWith(`:${stackName}-${severity}`));
    if (topicArn === undefined) {
      problems.push(`no ${severity} topic`);
      continue;
    }
    const subscriptions = await listSubscriptions(sns, topicArn);
    const confirmed = subscriptions.filter((subscription) => subscription.SubscriptionArn !== PENDING);
    const pending = subscriptions.filter((subscription) => subscription.SubscriptionArn === PENDING);
    counts.push(`${severity} ${confirmed.length}`);
    if (pending.length > 0) {
      problems.push(
        `${severity}: waiting for ${pending.map((s) => `${s.Protocol} ${s.Endpoint}`).join(', ')} to confirm`,
      );
    } else if (confirmed.length === 0) {
      problems.push(`${severity}: nobody is subscribed`);
    }
  }
  if (problems.length > 0) return failed(region, label, problems.join('; '));
  return passed(region, label, `confirmed: ${counts.join(', ')}`);
}
