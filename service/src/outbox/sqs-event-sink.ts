import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import type { EventSink } from './event-sink';
import type { OutboxEvent } from './outbox-event';

/** Settings of an {@link SqsSink}. */
export interface SqsSinkOptions {
  /** URL of the queue; outside AWS (a local emulator) its origin is the endpoint called. */
  readonly queueUrl: string;
  /** Region the requests are signed for. */
  readonly region: string;
  /** Bound on one HTTP request, and separately on opening its connection. */
  readonly requestTimeoutMs: number;
  /**
   * Credentials to sign with.
   * @default - the SDK's default chain: in EKS the web identity token of the pod's IRSA role
   */
  readonly credentials?: SQSClientConfig['credentials'];
}

/** SQS takes at most 10 entries per SendMessageBatch. */
export const SQS_MAX_BATCH_ENTRIES = 10;

/**
 * SQS's limit on one batch's payload, bodies and attributes together (and so on one message). SQS accepts up to
 * 1 MiB since 2025; 256 KiB keeps the relay within the limit every region and emulator has long enforced.
 */
export const SQS_MAX_BATCH_BYTES = 256 * 1024;

/** Attempts of one request in the SDK's standard retry mode: the first and at most two retries. */
const MAX_ATTEMPTS = 3;

/** Room for the SDK's backoff between attempts (at most 0.2 s, then 0.4 s, in standard mode) and signing. */
const BACKOFF_ALLOWANCE_MS = 1000;

/**
 * Longest a `publish` call can take, however many chunks the batch has: the chunks share one deadline of three
 * attempts of one request. The relay's termination grace period is sized with it.
 */
export function sqsPublishBoundMs(requestTimeoutMs: number): number {
  return MAX_ATTEMPTS * requestTimeoutMs + BACKOFF_ALLOWANCE_MS;
}

/** A rejected batch entry, as SQS reports it. */
export interface SqsFailedEntry {
  /** The event's outbox position (the entry id). */
  readonly id: string;
  readonly code?: string;
  /** Whether SQS blames the request (retrying it unchanged fails again) rather than itself. */
  readonly senderFault?: boolean;
}

/** Thrown when SQS accepted only part of a batch; the relay leaves the whole batch unpublished. */
export class SqsPartialFailureError extends Error {
  override readonly name = 'SqsPartialFailureError';

  constructor(readonly failed: readonly SqsFailedEntry[]) {
    super(
      `SQS refused ${failed.length} event(s) of the batch: ${failed
        .map((entry) => `${entry.id} (${entry.code ?? 'unknown'})`)
        .join(', ')}`,
    );
  }
}

/**
 * Publishes to an SQS queue with SendMessageBatch, in chunks of at most 10 events and 256 KiB. Each message's
 * body is the event as JSON (the fields of the Redis stream entry); `event_id`, `type` and `tenant_id` are also
 * message attributes, so consumers can filter without parsing the body. Chunks go in outbox order, but a
 * standard queue does not keep order: consumers order by `occurred_at` if they need to.
 *
 * A batch SQS accepts only in part throws, and the relay publishes the whole outbox batch again on its next
 * loop: the accepted entries are sent twice, which at-least-once delivery allows (consumers deduplicate on
 * `event_id`). Retrying only the failed entries here would save those duplicates but add a second retry loop
 * beside the SDK's and the relay's; partial failures are rare (throttling, a KMS error), so it is not done.
 */
export class SqsSink implements EventSink {
  private readonly client: SQSClient;

  constructor(private readonly options: SqsSinkOptions) {
    const queueUrl = new URL(options.queueUrl);
    this.client = new SQSClient({
      region: options.region,
      // An AWS queue URL names the regional endpoint the SDK resolves anyway; any other (ElasticMQ, a test's
      // stand-in) is the endpoint itself, said outright so the SDK does not warn on every call.
      endpoint: /\.amazonaws\.com(\.cn)?$/.test(queueUrl.hostname) ? undefined : queueUrl.origin,
      credentials: options.credentials,
      maxAttempts: MAX_ATTEMPTS,
      retryMode: 'standard',
      requestHandler: {
        connectionTimeout: options.requestTimeoutMs,
        requestTimeout: options.requestTimeoutMs,
        // Without it an exceeded request timeout is only logged, and a hung endpoint holds the batch forever.
        throwOnRequestTimeout: true,
      },
    });
  }

  async ping(): Promise<void> {
    await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl, AttributeNames: ['QueueArn'] }),
    );
  }

  async publish(events: readonly OutboxEvent[]): Promise<void> {
    // One chunk after the other, so a failed chunk stops the batch before later events go out, all within one
    // deadline: a slow queue delays a batch of 100 events by one bound, not ten.
    const abortSignal = AbortSignal.timeout(sqsPublishBoundMs(this.options.requestTimeoutMs));
    for (const entries of chunk(events.map(toEntry))) {
      const response = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries }),
        { abortSignal },
      );
      const failed = response.Failed ?? [];
      if (failed.length > 0) {
        throw new SqsPartialFailureError(
          failed.map((entry) => ({ id: entry.Id ?? '?', code: entry.Code, senderFault: entry.SenderFault })),
        );
      }
    }
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }
}

function toEntry(event: OutboxEvent): SendMessageBatchRequestEntry {
  const attribute = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
  return {
    // The outbox position: unique in the batch and only digits, as SQS requires of an entry id.
    Id: event.id,
    MessageBody: JSON.stringify({
      event_id: event.eventId,
      type: event.type,
      tenant_id: event.tenantId,
      aggregate_id: event.aggregateId,
      occurred_at: event.occurredAt,
      payload: event.payload,
    }),
    MessageAttributes: {
      event_id: attribute(event.eventId),
      type: attribute(event.type),
      tenant_id: attribute(event.tenantId),
    },
  };
}

/** Bytes SQS counts for an entry: its body and each attribute's name, data type and value. */
function entryBytes(entry: SendMessageBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.MessageBody ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

/** Splits entries, in order, into batches within SQS's count and size limits. */
function chunk(entries: readonly SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const batches: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    const bytes = entryBytes(entry);
    if (bytes > SQS_MAX_BATCH_BYTES) {
      // It can never be sent; the relay's failures and the outbox lag alert make it visible.
      throw new Error(`event ${entry.Id} is ${bytes} bytes, above SQS's limit of ${SQS_MAX_BATCH_BYTES}`);
    }
    if (current.length === SQS_MAX_BATCH_ENTRIES || currentBytes + bytes > SQS_MAX_BATCH_BYTES) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
