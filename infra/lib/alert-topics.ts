import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { Severity } from '../../dashboards/slo/burn-rate-windows';
import type { AlertSubscriber } from '../config/platform-config';

/** The topic of each severity: what an alarm or an Alertmanager route notifies. */
export type SeverityTopics = Readonly<Record<Severity, sns.ITopic>>;

/** Properties of {@link AlertTopics}. */
export interface AlertTopicsProps {
  /** Prefix of the topic names, for example `api-platform-prod-eu-west-1`: the topics are `<prefix>-page` and `<prefix>-ticket`. */
  readonly namePrefix: string;
  /** Who each severity's topic tells. */
  readonly subscribers: Readonly<Record<Severity, readonly AlertSubscriber[]>>;
  /**
   * What happens to the topics' key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Severities in the order their topics are created. */
const SEVERITIES: readonly Severity[] = ['page', 'ticket'];

/**
 * One SNS topic per severity (`page` wakes someone, `ticket` waits for working hours), each with its
 * subscribers, encrypted with one rotated customer key that CloudWatch may use, refusing requests without TLS.
 * CloudWatch alarms and the region's Alertmanager publish to the same two topics, so a person is reached the
 * same way whichever noticed the fault.
 */
export class AlertTopics extends Construct {
  /** The `page` topic. */
  public readonly page: sns.Topic;
  /** The `ticket` topic. */
  public readonly ticket: sns.Topic;
  /** Customer managed key encrypting both topics' messages. */
  public readonly encryptionKey: kms.Key;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);

    this.encryptionKey = new kms.Key(this, 'Key', {
      description: `SNS topics ${props.namePrefix}-{page,ticket}: alert notifications`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // CloudWatch publishes to an encrypted topic only if the key lets it make data keys ("Configuring Amazon SNS
    // notifications", CloudWatch User Guide: the AWS managed key of SNS cannot be used by alarms).
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    const [page, ticket] = SEVERITIES.map((severity) =>
      this.createTopic(severity, props.namePrefix, props.subscribers[severity]),
    );
    this.page = page;
    this.ticket = ticket;
  }

  private createTopic(
    severity: Severity,
    namePrefix: string,
    subscribers: readonly AlertSubscriber[],
  ): sns.Topic {
    const id = severity === 'page' ? 'Page' : 'Ticket';
    const topicName = `${namePrefix}-${severity}`;
    const topic = new sns.Topic(this, `${id}Topic`, {
      topicName,
      displayName: topicName,
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, so CloudWatch's right to publish is stated: alarms of this account only.
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    for (const subscriber of subscribers) {
      if ('email' in subscriber) {
        topic.addSubscription(new subscriptions.EmailSubscription(subscriber.email));
        continue;
      }
      // Resolved by CloudFormation at deploy time from the region's parameter: the URL never enters the template
      // (CloudFormation User Guide, "SSM parameter types": an `AWS::SSM::Parameter::Value<String>` parameter is
      // read in the stack's region when the stack is created or updated).
      const url = ssm.StringParameter.valueForStringParameter(this, subscriber.httpsEndpointParameter);
      topic.addSubscription(
        new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }
    return topic;
  }
}
