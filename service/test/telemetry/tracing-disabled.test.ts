import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { startTracing, type Tracing } from '../../src/telemetry/tracing';
import { testConfig } from '../helpers/build-test-app';
import { CapturedLogs } from '../helpers/captured-logs';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-untraced';

let database: TestDatabase;
let fixtures: Fixtures;
let exporter: InMemorySpanExporter;
let tracing: Tracing;
let app: FastifyInstance;
const logs = new CapturedLogs();

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  exporter = new InMemorySpanExporter();
  const config = testConfig(database.url, { LOG_LEVEL: 'info', OTEL_SDK_DISABLED: 'true' });
  tracing = startTracing({ tracing: config.tracing, exporter });
  app = await buildApp(config, { logStream: logs.stream });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await tracing.shutdown();
  await fixtures.close();
  await database.drop();
});

it('with OTEL_SDK_DISABLED=true, serves requests with no spans, no traceparent and no trace ids in logs', async () => {
  const authorId = await fixtures.user(TENANT);
  const [postId] = await fixtures.posts(TENANT, authorId, 1);

  const response = await app.inject({
    url: `/v1/posts/${postId}`,
    headers: bearer(signHs256(claims(TENANT, authorId))),
  });

  expect(response.statusCode).toBe(200);
  expect(response.headers.traceparent).toBeUndefined();
  expect(exporter.getFinishedSpans()).toEqual([]);
  const completed = logs.lines.filter((line) => line.msg === 'request completed');
  expect(completed).toHaveLength(1);
  expect(completed[0]).not.toHaveProperty('trace_id');
});
