// A stand-in for the SNS API on 127.0.0.1 that speaks just enough of its query protocol for Alertmanager's SNS
// notifier: it records each Publish and answers as SNS does (Publish API reference, "Response Elements").
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One Publish call as the endpoint received it. */
export interface RecordedPublish {
  readonly topicArn: string;
  readonly subject: string;
  readonly message: string;
  /** The `Authorization` header: a SigV4 signature, never empty. */
  readonly authorization: string;
}

/** The running endpoint. */
export interface SnsPublishEndpoint {
  /** Base URL to give as Alertmanager's `api_url`. */
  readonly url: string;
  /** Every Publish received, in order. */
  readonly published: RecordedPublish[];
  close(): Promise<void>;
}

// SNS refuses a longer subject ("Subject ... must be less than 100 characters long"), so the stand-in does too.
const SUBJECT_LIMIT = 100;

/** Starts the endpoint on an ephemeral 127.0.0.1 port. */
export async function startSnsPublishEndpoint(): Promise<SnsPublishEndpoint> {
  const published: RecordedPublish[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const form = new URLSearchParams(body);
      const subject = form.get('Subject') ?? '';
      if (form.get('Action') !== 'Publish' || subject.length >= SUBJECT_LIMIT) {
        response.writeHead(400, { 'content-type': 'text/xml' });
        response.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Subject</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
        return;
      }
      published.push({
        topicArn: form.get('TopicArn') ?? '',
        subject,
        message: form.get('Message') ?? '',
        authorization: String(request.headers.authorization ?? ''),
      });
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    published,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
