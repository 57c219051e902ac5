import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/build-test-app';
import { Fixtures } from '../../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database';
import { bearer, claims, signHs256 } from '../../helpers/tokens';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let headers: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url, { LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '50' });
  headers = bearer(signHs256(claims('tenant-shed', await fixtures.user('tenant-shed'))));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

/** Blocks this process's event loop, as a CPU-bound burst would. */
function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy: nothing else runs
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('sheds API requests with 503 and Retry-After while the event loop lags, but still answers probes', async () => {
  let shed = await app.inject({ url: '/v1/posts', headers });
  let live = shed;
  let ready = shed;
  // A busy CI machine can delay the sampler; a few attempts keep the test about shedding, not scheduling.
  for (let attempt = 0; attempt < 3; attempt++) {
    // Longer than a whole sampling interval (1 s): that interval sees no tick at all, the worst lag there is.
    blockEventLoop(1100);
    await sleep(50);
    [shed, live, ready] = await Promise.all([
      app.inject({ url: '/v1/posts', headers }),
      app.inject({ url: '/health/live' }),
      app.inject({ url: '/health/ready' }),
    ]);
    if (shed.statusCode === 503) break;
  }

  expect(shed.statusCode).toBe(503);
  expect(shed.headers['retry-after']).toBe('1');
  expect(shed.json().error.code).toBe('overloaded');
  expect(live.statusCode).toBe(200);
  expect(ready.statusCode).toBe(200);
  expect((await app.inject({ url: '/metrics' })).body).toMatch(
    /http_requests_shed_total\{reason="eventLoopDelay"\} [1-9]/,
  );
});

it('serves again once the lag is gone', async () => {
  await sleep(2100);

  const response = await app.inject({ url: '/v1/posts', headers });

  expect(response.statusCode).toBe(200);
});
