import path from 'node:path';
import { DEMO_TENANTS } from '../../src/dev/demo-data';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256, TEST_JWT_SECRET } from '../helpers/tokens';

/** What `npm run dev` runs. */
const DEV_ENTRY = path.resolve(__dirname, '..', '..', 'src', 'dev', 'dev.ts');
const [demo] = DEMO_TENANTS;

let database: TestDatabase;
let collector: OtlpReceiver;
let dev: ServerProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  collector = await startOtlpReceiver();
  // The migrating superuser, as a developer's own DATABASE_URL would be; the dev runner migrates and seeds it.
  dev = await startServerProcess(
    {
      DATABASE_URL: database.directUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    },
    DEV_ENTRY,
  );
});

afterAll(async () => {
  if (dev.child.exitCode === null) dev.child.kill('SIGTERM');
  await dev.exited;
  await collector.close();
  await database.drop();
});

/** The JSON log line the dev process wrote for `requestId` with this message, once it is there. */
async function logLine(requestId: string, msg: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const found = dev.logs
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.reqId === requestId && line.msg === msg);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no "${msg}" log line for request ${requestId}`);
}

it('traces requests as the server does: a traceparent on the response, its trace id in the log, the spans exported on exit', async () => {
  const response = await fetch(`${dev.baseUrl}/v1/posts?limit=1`, {
    headers: bearer(signHs256(claims(demo.tenantId, demo.userId))),
  });

  expect(response.status).toBe(200);
  const traceparent = response.headers.get('traceparent') ?? '';
  expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const traceId = traceparent.split('-')[1];
  const completed = await logLine(response.headers.get('x-request-id') ?? '', 'request completed');
  expect(completed.trace_id).toBe(traceId);

  dev.child.kill('SIGTERM');

  expect(await dev.exited).toBe(0);
  const exported = collector.spans.filter((span) => span.traceId === traceId).map((span) => span.scope);
  expect(exported).toContain('@fastify/otel');
  expect(exported).toContain('@opentelemetry/instrumentation-pg');
});
