import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { testConfig } from './helpers/build-test-app';
import { CapturedLogs } from './helpers/captured-logs';
import { createTestDatabase, type TestDatabase } from './helpers/test-database';

const GENERATED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let database: TestDatabase;
let app: FastifyInstance;
const logs = new CapturedLogs();

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp(testConfig(database.url, { LOG_LEVEL: 'info' }), { logStream: logs.stream });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

beforeEach(() => logs.clear());

/** The request id the response carried and the `reqId` of its access-log line. */
const requestIds = async (headers: Record<string, string>) => {
  const response = await app.inject({ url: '/v1/nothing', headers });
  const completed = logs.lines.filter((line) => line.msg === 'request completed');
  return { header: response.headers['x-request-id'], logged: completed.map((line) => line.reqId) };
};

describe('request ids', () => {
  it.each(['abc-123', 'trace.0A_z', 'x'.repeat(64)])(
    'keeps a client id of the safe format (%s) in the response and the logs',
    async (id) => {
      expect(await requestIds({ 'x-request-id': id })).toEqual({ header: id, logged: [id] });
    },
  );

  it.each([
    ['a newline (forged log line)', 'abc\n{"level":50,"msg":"forged"}'],
    ['an overlong id', 'x'.repeat(65)],
    ['spaces and quotes', 'a b"c'],
    ['an empty id', ''],
  ])('replaces a client id with %s by one of its own', async (_case, id) => {
    const { header, logged } = await requestIds({ 'x-request-id': id });

    expect(header).toMatch(GENERATED_ID);
    expect(logged).toEqual([header]);
    expect(JSON.stringify(logs.lines)).not.toContain('forged');
  });

  it('makes an id when the client sends none', async () => {
    const { header, logged } = await requestIds({});

    expect(header).toMatch(GENERATED_ID);
    expect(logged).toEqual([header]);
  });
});
