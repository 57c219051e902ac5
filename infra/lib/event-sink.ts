import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of an {@link EventSink}. */
export interface EventSinkProps {
  /** Name of the queue, for example `api-platform-prod-eu-west-1-events`; the dead-letter queue adds `-dlq`. */
  readonly queueName: string;
  /** The only principals allowed to publish (the outbox relay's IRSA role): send messages, nothing else. */
  readonly publishers: readonly iam.IRole[];
  /**
   * Receives of one message before it moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long an event waits in the queue for a consumer.
   * @default Duration.days(14)
   */
  readonly retentionPeriod?: Duration;
  /**
   * What happens to the queues and their key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The only actions a publisher gets on the queue: SendMessage (it also authorizes SendMessageBatch), and
 * GetQueueAttributes, which the relay's readiness check calls (it reads the queue's settings, never messages).
 */
export const PUBLISH_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueAttributes'] as const;

/** What SQS asks of the sender's key rights to encrypt a message with a customer key. */
export const PUBLISH_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/**
 * The region's sink for the outbox relay: a standard SQS queue with a dead-letter queue, both encrypted with a
 * rotated customer key and refusing any request not made over TLS; the publishers may send and nothing else.
 *
 * Why SQS rather than an EventBridge bus: the relay hands events over at least once and needs them kept until a
 * consumer takes them; a bus without rules drops events, and its dead-letter queue only catches failed target
 * deliveries. A queue keeps them 14 days and its redrive policy parks a poison event after `maxReceiveCount`
 * tries; fan-out to several consumers can be added later with EventBridge Pipes (queue to bus) without changing
 * the relay. Standard rather than FIFO: consumers deduplicate on `event_id` already, as the relay is at-least-once.
 */
export class EventSink extends Construct {
  /** The queue the relay publishes to. */
  public readonly queue: sqs.Queue;
  /** Where events that consumers failed `maxReceiveCount` times wait for a person. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Customer managed key encrypting both queues. */
  public readonly encryptionKey: kms.Key;

  constructor(scope: Construct, id: string, props: EventSinkProps) {
    super(scope, id);

    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`maxReceiveCount must be an integer between 1 and 1000, got ${maxReceiveCount}`);
    }
    if (props.publishers.length === 0) {
      throw new Error('publishers must name the roles that send events');
    }
    const retentionPeriod = props.retentionPeriod ?? Duration.days(14);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.encryptionKey = new kms.Key(this, 'Key', {
      description: `SQS ${props.queueName}: outbox events and their dead letters`,
      enableKeyRotation: true,
      removalPolicy,
    });
    const encryption = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      // Data keys are reused for 5 minutes: fewer KMS calls per message at the relay's batch rate.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      removalPolicy,
    };
    // The dead letters are kept as long as SQS allows, so an incident can look at them after a weekend.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...encryption,
      queueName: `${props.queueName}-dlq`,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...encryption,
      queueName: props.queueName,
      retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    // A policy of its own, so the publishers' other policies stay as they are and this grant reads in one place.
    const region = Stack.of(this).region;
    new iam.Policy(this, 'PublishPolicy', {
      roles: [...props.publishers],
      statements: [
        new iam.PolicyStatement({ actions: [...PUBLISH_ACTIONS], resources: [this.queue.queueArn] }),
        new iam.PolicyStatement({
          actions: [...PUBLISH_KEY_ACTIONS],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } },
        }),
      ],
    });
  }
}
