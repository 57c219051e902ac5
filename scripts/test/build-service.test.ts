import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRelayProcess } from '../../service/test/helpers/relay-process';
import { Fixtures } from '../../service/test/helpers/fixtures';
import { startOtlpReceiver } from '../../service/test/helpers/otlp-receiver';
import { startServerProcess } from '../../service/test/helpers/server-process';
import { batchEntries, startSqsEndpoint } from '../../service/test/helpers/sqs-endpoint';
import { createTestDatabase, type TestDatabase } from '../../service/test/helpers/test-database';
import { TEST_JWT_SECRET, bearer, claims, signHs256 } from '../../service/test/helpers/tokens';
import { buildService, compileCacheEnv, warmCompileCache } from '../build-service';

/** The budget for the bundle that goes into the image. */
const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;

let outDir: string;
let database: TestDatabase;
let sizes: Record<string, number>;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
  database = await createTestDatabase();
  sizes = await buildService(outDir);
});

afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await database.drop();
});

it('bundles the server, the migration job and the relay under the size budget, with the migrations beside them', async () => {
  expect(Object.keys(sizes).sort()).toEqual(['migrate.js', 'relay.js', 'server.js', 'warm-compile-cache.js']);
  for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThan(MAX_BUNDLE_BYTES);
  expect(readdirSync(path.join(outDir, 'migrations')).some((file) => file.endsWith('.sql'))).toBe(true);
});

it('keeps the source names in the bundle without a naming helper called on every closure', () => {
  const bundle = readFileSync(path.join(outDir, 'server.js'), 'utf8');

  // Names in stack traces and CPU profiles are the source's; esbuild's `keepNames` helper is not there.
  expect(bundle).toMatch(/\bvar PostsService=class\b/);
  expect(bundle).not.toMatch(/\b__name\(/);
});

it('fills a compile cache that server.js, moved elsewhere with it, loads instead of compiling', () => {
  warmCompileCache(outDir);
  const moved = mkdtempSync(path.join(tmpdir(), 'bundle-moved-'));
  try {
    cpSync(outDir, moved, { recursive: true });
    // Loaded, not run as the entry point, server.js compiles and evaluates but does not start: the process exits.
    const loaded = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(path.join(moved, 'server.js'))})`],
      {
        env: { PATH: process.env.PATH, ...compileCacheEnv(moved), NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
        encoding: 'utf8',
        timeout: 10_000,
      },
    );

    expect(loaded.status).toBe(0);
    expect(loaded.stderr).toContain(
      `V8 code cache for CommonJS ${path.join(moved, 'server.js')} was accepted`,
    );
  } finally {
    rmSync(moved, { recursive: true, force: true });
  }
});

it('runs from the bundle alone: ready against PostgreSQL, exits 0 on SIGTERM', async () => {
  const server = await startServerProcess(
    { DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET },
    path.join(outDir, 'server.js'),
  );

  const ready = await fetch(`${server.baseUrl}/health/ready`);
  server.child.kill('SIGTERM');

  expect(ready.status).toBe(200);
  expect(await server.exited).toBe(0);
});

it('runs the relay from the bundle alone: its probes answer on its own port, exits 0 on SIGTERM', async () => {
  const relay = await startRelayProcess(
    {
      DATABASE_URL: database.relayUrl,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      REDIS_KEY_PREFIX: 'test:bundle-relay:',
    },
    path.join(outDir, 'relay.js'),
  );

  const ready = await fetch(`${relay.healthUrl}/health/ready`);
  relay.child.kill('SIGTERM');

  expect(ready.status).toBe(200);
  expect(await relay.exited).toBe(0);
});

it('publishes to SQS from the bundle: the SDK, bundled, signs and sends the outbox to the queue', async () => {
  const endpoint = await startSqsEndpoint();
  const fixtures = await Fixtures.connect(database.directUrl);
  await fixtures.query(
    `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload)
     SELECT 'tenant-bundle-sqs', 'post.created', gen_random_uuid(), '{}'::jsonb FROM generate_series(1, 12)`,
  );
  await fixtures.close();
  const relay = await startRelayProcess(
    {
      DATABASE_URL: database.relayUrl,
      OUTBOX_SINK: 'sqs',
      OUTBOX_SQS_QUEUE_URL: endpoint.queueUrl,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      OUTBOX_IDLE_DELAY_MS: '20',
    },
    path.join(outDir, 'relay.js'),
  );
  try {
    const sent = () =>
      endpoint.requests.filter((r) => r.operation === 'SendMessageBatch').flatMap(batchEntries).length;
    const deadline = Date.now() + 10_000;
    while (sent() < 12 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const ready = await fetch(`${relay.healthUrl}/health/ready`);

    expect(sent()).toBe(12);
    expect(ready.status).toBe(200);
  } finally {
    relay.child.kill('SIGTERM');
    await relay.exited;
    await endpoint.close();
  }
});

it('traces from the bundle: the request, a PostgreSQL query and a Redis command share one trace, exported over OTLP/HTTP, named in the log line and the traceparent header', async () => {
  const receiver = await startOtlpReceiver();
  const fixtures = await Fixtures.connect(database.directUrl);
  const authorId = await fixtures.user('tenant-bundle');
  const [postId] = await fixtures.posts('tenant-bundle', authorId, 1);
  await fixtures.close();
  const server = await startServerProcess(
    {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `test:bundle-${process.pid}:`,
      JWT_SECRET: TEST_JWT_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: 'api-bundle-test',
    },
    path.join(outDir, 'server.js'),
  );
  try {
    const response = await fetch(`${server.baseUrl}/v1/posts/${postId}`, {
      headers: bearer(signHs256(claims('tenant-bundle', authorId))),
    });
    expect(response.status).toBe(200);
    const traceId = (response.headers.get('traceparent') ?? '').split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    // Shutdown flushes the batch of spans to the collector before the process exits.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const inTrace = receiver.spans.filter((span) => span.traceId === traceId);
    const scopes = new Set(inTrace.map((span) => span.scope));
    expect(scopes).toEqual(
      new Set([
        '@fastify/otel',
        '@opentelemetry/instrumentation-pg',
        '@opentelemetry/instrumentation-ioredis',
      ]),
    );
    expect(receiver.requests.every(({ path }) => path === '/v1/traces')).toBe(true);
    const logged = server.logs
      .map((line) => JSON.parse(line) as { msg?: string; trace_id?: string })
      .filter((line) => line.msg === 'request completed');
    expect(logged.map((line) => line.trace_id)).toContain(traceId);
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGTERM');
    await server.exited;
    await receiver.close();
  }
});
