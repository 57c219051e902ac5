import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app';
import { testConfig } from '../../helpers/build-test-app';
import { CapturedLogs } from '../../helpers/captured-logs';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database';

// In AWS a request reaches a pod from the load balancer, whose address is the socket's peer. CloudFront appends
// the viewer's address to X-Forwarded-For, then the load balancer appends CloudFront's (the ALB's default
// `append` mode): the viewer is the second address from the right; whatever a client sent itself comes first.
const LOAD_BALANCER = '10.0.1.20';
const CLOUDFRONT_EDGE = '130.176.0.9';
const VIEWER = '198.51.100.7';
const FORGED = '203.0.113.66';

let database: TestDatabase;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await database.drop();
});

/** The address the access log records for one request through the two proxies, with `hops` trusted. */
async function loggedClientAddress(hops: string): Promise<unknown> {
  const logs = new CapturedLogs();
  const app = await buildApp(testConfig(database.url, { LOG_LEVEL: 'info', TRUST_PROXY_HOPS: hops }), {
    logStream: logs.stream,
  });
  apps.push(app);
  await app.ready();
  const response = await app.inject({
    url: '/v1/posts',
    remoteAddress: LOAD_BALANCER,
    headers: { 'x-forwarded-for': `${FORGED}, ${VIEWER}, ${CLOUDFRONT_EDGE}` },
  });
  const [line] = logs.ofRequest(response.headers['x-request-id']);
  return (line.req as { remoteAddress: unknown }).remoteAddress;
}

it('takes the viewer from the address CloudFront appended, behind CloudFront and the load balancer', async () => {
  expect(await loggedClientAddress('2')).toBe(VIEWER);
});

it('trusts no header by default: the socket peer is the client', async () => {
  expect(await loggedClientAddress('0')).toBe(LOAD_BALANCER);
});

it('never takes an address the client wrote itself, however many hops are trusted', async () => {
  expect(await loggedClientAddress('1')).toBe(CLOUDFRONT_EDGE);
  expect(await loggedClientAddress('2')).not.toBe(FORGED);
});
