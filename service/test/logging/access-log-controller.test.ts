import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { LIVENESS_PATH, READINESS_PATH } from '../../src/probe-paths';
import { testConfig } from '../helpers/build-test-app';
import { CapturedLogs } from '../helpers/captured-logs';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

const TENANT = 'tenant-access-log';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
const logs = new CapturedLogs();

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildApp(testConfig(database.url, { LOG_LEVEL: 'info' }), { logStream: logs.stream });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

beforeEach(() => {
  logs.clear();
  app.lifecycle.draining = false;
});

it('writes one line per request, when it completes, with method, URL, route, status and time', async () => {
  const authorId = await fixtures.user(TENANT);
  const [postId] = await fixtures.posts(TENANT, authorId, 1);

  const response = await app.inject({
    url: `/v1/posts/${postId}`,
    headers: bearer(signHs256(claims(TENANT, authorId))),
  });

  expect(response.statusCode).toBe(200);
  const ofRequest = logs.ofRequest(response.headers['x-request-id']);
  expect(ofRequest).toHaveLength(1);
  expect(ofRequest[0]).toMatchObject({
    level: 30,
    msg: 'request completed',
    route: '/v1/posts/:id',
    req: { method: 'GET', url: `/v1/posts/${postId}` },
    res: { statusCode: 200 },
  });
  expect(ofRequest[0].responseTime).toEqual(expect.any(Number));
});

it('logs a refused request the same way, without its token', async () => {
  const response = await app.inject({ url: '/v1/posts', headers: { authorization: 'Bearer not-a-token' } });

  expect(response.statusCode).toBe(401);
  const completed = logs
    .ofRequest(response.headers['x-request-id'])
    .filter((line) => line.msg === 'request completed');
  expect(completed).toHaveLength(1);
  expect(completed[0]).toMatchObject({ res: { statusCode: 401 } });
  expect(JSON.stringify(logs.lines)).not.toContain('not-a-token');
});

it('leaves healthy probes out, and logs a failing one', async () => {
  const live = await app.inject({ url: LIVENESS_PATH });
  const ready = await app.inject({ url: READINESS_PATH });
  app.lifecycle.draining = true;
  const draining = await app.inject({ url: READINESS_PATH });

  expect([live.statusCode, ready.statusCode, draining.statusCode]).toEqual([200, 200, 503]);
  expect(logs.ofRequest(live.headers['x-request-id'])).toEqual([]);
  expect(logs.ofRequest(ready.headers['x-request-id'])).toEqual([]);
  expect(logs.ofRequest(draining.headers['x-request-id'])).toEqual([
    expect.objectContaining({ msg: 'request completed', res: { statusCode: 503 } }),
  ]);
});
