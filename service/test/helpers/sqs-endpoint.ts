import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/** One request as the endpoint received it: the operation (`X-Amz-Target` without `AmazonSQS.`) and its JSON body. */
export interface SqsRequest {
  readonly operation: string;
  readonly contentType: string;
  readonly authorization: string;
  readonly body: Record<string, unknown>;
}

/** What the endpoint answers to a request: a status and JSON body, or no answer at all (a hung server). */
export type SqsReply =
  { readonly status: number; readonly body: unknown; readonly delayMs?: number } | 'hang';

/** A batch entry as the SDK sends it in the AWS JSON 1.0 protocol. */
export interface SqsBatchEntry {
  readonly Id: string;
  readonly MessageBody: string;
  readonly MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
}

/**
 * A stand-in for SQS on 127.0.0.1 speaking just enough of its JSON protocol (AWS JSON 1.0) for the relay:
 * SendMessageBatch and GetQueueAttributes. It records every request; `reply` can be replaced to make it fail.
 */
export interface SqsEndpoint {
  /** A queue URL on this endpoint: the SDK sends to the URL's origin. */
  readonly queueUrl: string;
  readonly requests: SqsRequest[];
  /** Decides each answer; by default every entry succeeds, as SQS answers. */
  reply: (request: SqsRequest) => SqsReply;
  /** The answer SQS gives when every entry succeeds, or to GetQueueAttributes. */
  readonly accept: (request: SqsRequest) => SqsReply;
  close(): Promise<void>;
}

/** The entries of a SendMessageBatch request. */
export function batchEntries(request: SqsRequest): SqsBatchEntry[] {
  return request.body.Entries as SqsBatchEntry[];
}

/** Starts the endpoint on an ephemeral port, with a queue named `events`. */
export async function startSqsEndpoint(): Promise<SqsEndpoint> {
  const requests: SqsRequest[] = [];
  const sockets = new Set<Socket>();
  const accept = (request: SqsRequest): SqsReply => {
    if (request.operation === 'GetQueueAttributes') {
      return { status: 200, body: { Attributes: { QueueArn: 'arn:aws:sqs:eu-west-1:000000000000:events' } } };
    }
    if (request.operation === 'SendMessageBatch') {
      return {
        status: 200,
        body: {
          // The SDK checks each body's MD5, as it does against SQS.
          Successful: batchEntries(request).map((entry) => ({
            Id: entry.Id,
            MessageId: randomUUID(),
            MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
          })),
          Failed: [],
        },
      };
    }
    return {
      status: 400,
      body: { __type: 'com.amazonaws.sqs#InvalidAction', message: `not served: ${request.operation}` },
    };
  };
  const endpoint: Omit<SqsEndpoint, 'queueUrl' | 'close'> = { requests, reply: accept, accept };
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const target = String(incoming.headers['x-amz-target'] ?? '');
      const request: SqsRequest = {
        operation: target.replace(/^AmazonSQS\./, ''),
        contentType: String(incoming.headers['content-type'] ?? ''),
        authorization: String(incoming.headers.authorization ?? ''),
        body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>,
      };
      requests.push(request);
      const reply = endpoint.reply(request);
      if (reply === 'hang') return;
      setTimeout(() => {
        response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(endpoint, {
    queueUrl: `http://127.0.0.1:${port}/000000000000/events`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
