import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { startTracing, type Tracing } from '../../src/telemetry/tracing';
import { testConfig } from '../helpers/build-test-app';
import { CapturedLogs } from '../helpers/captured-logs';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-tracing';

let database: TestDatabase;
let fixtures: Fixtures;
let exporter: InMemorySpanExporter;
let tracing: Tracing;
let app: FastifyInstance;
let baseUrl: string;
const logs = new CapturedLogs();

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  exporter = new InMemorySpanExporter();
  const config = testConfig(database.url, { LOG_LEVEL: 'info' });
  tracing = startTracing({ tracing: config.tracing, exporter });
  app = await buildApp(config, { logStream: logs.stream });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await tracing.shutdown();
  await fixtures.close();
  await database.drop();
});

const scope = (span: ReadableSpan) => span.instrumentationScope.name;

it('puts the request (one SERVER span), its handler, its PostgreSQL queries and its Redis commands in one trace', async () => {
  const authorId = await fixtures.user(TENANT);
  const [postId] = await fixtures.posts(TENANT, authorId, 1);
  exporter.reset();

  const response = await fetch(`${baseUrl}/v1/posts/${postId}`, {
    headers: bearer(signHs256(claims(TENANT, authorId))),
  });

  expect(response.status).toBe(200);
  const traceparent = response.headers.get('traceparent') ?? '';
  expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const traceId = traceparent.split('-')[1];
  const inTrace = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const scopes = new Set(inTrace.map(scope));
  expect(scopes).toEqual(
    new Set(['@fastify/otel', '@opentelemetry/instrumentation-pg', '@opentelemetry/instrumentation-ioredis']),
  );
  const servers = inTrace.filter((span) => span.kind === SpanKind.SERVER);
  expect(servers.map((span) => [scope(span), span.parentSpanContext])).toEqual([
    ['@fastify/otel', undefined],
  ]);
  expect(traceparent.split('-')[2]).toBe(servers[0].spanContext().spanId);
  const query = inTrace.find(
    (span) =>
      scope(span) === '@opentelemetry/instrumentation-pg' &&
      /SELECT/.test(String(span.attributes['db.statement'] ?? span.attributes['db.query.text'])),
  );
  expect(query).toBeDefined();
});

it('traces app.inject requests the same way: the route, its queries and Redis commands in one trace', async () => {
  const authorId = await fixtures.user(TENANT);
  const [postId] = await fixtures.posts(TENANT, authorId, 1);
  exporter.reset();

  const response = await app.inject({
    url: `/v1/posts/${postId}`,
    headers: bearer(signHs256(claims(TENANT, authorId))),
  });

  expect(response.statusCode).toBe(200);
  const traceId = String(response.headers.traceparent).split('-')[1];
  const scopes = new Set(
    exporter
      .getFinishedSpans()
      .filter((span) => span.spanContext().traceId === traceId)
      .map(scope),
  );
  expect(scopes).toEqual(
    new Set(['@fastify/otel', '@opentelemetry/instrumentation-pg', '@opentelemetry/instrumentation-ioredis']),
  );
});

it('writes the trace id into every log line of the request', async () => {
  logs.clear();

  const response = await fetch(`${baseUrl}/v1/posts`);

  expect(response.status).toBe(401);
  const traceId = (response.headers.get('traceparent') ?? '').split('-')[1];
  const ofRequest = logs.lines.filter((line) => (line.reqId ?? null) !== null);
  expect(ofRequest.map((line) => line.msg)).toContain('request completed');
  for (const line of ofRequest) expect(line.trace_id).toBe(traceId);
});

it('continues the caller’s trace from its traceparent header', async () => {
  const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';

  const response = await fetch(`${baseUrl}/v1/posts`, {
    headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` },
  });

  expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${callerTrace}-`));
});
