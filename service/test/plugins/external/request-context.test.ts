import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import requestContext, { readOptionsOf } from '../../../src/plugins/external/request-context';

const TIMEOUT_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let app: FastifyInstance;
let baseUrl: string;
let abortedWith: (reason: string) => void;
let aborted: Promise<string>;

beforeAll(async () => {
  app = Fastify();
  await app.register(requestContext, { requestTimeoutMs: TIMEOUT_MS });
  app.get('/late-reader', async (request) => {
    // Asks for the signal only after most of the budget has gone, as a cache miss late in a request would.
    await sleep(TIMEOUT_MS - 100);
    const { signal } = readOptionsOf(request);
    await once(signal!, 'abort');
    return { abortedAfterMs: Math.round(performance.now() - Number(request.headers['x-started'])) };
  });
  app.get('/waits-for-cancel', async (request) => {
    await once(request.cancellation, 'abort');
    abortedWith(String(request.cancellation.reason));
    return {};
  });
  app.get('/consistency', async (request) => ({ consistency: readOptionsOf(request).consistency }));
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(() => app.close());

beforeEach(() => {
  aborted = new Promise((resolve) => (abortedWith = resolve));
});

it('counts the timeout from the start of the request, not from when the signal was first asked for', async () => {
  const response = await fetch(`${baseUrl}/late-reader`, {
    headers: { 'x-started': String(performance.now()) },
  });

  const { abortedAfterMs } = (await response.json()) as { abortedAfterMs: number };
  expect(abortedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
  expect(abortedAfterMs).toBeLessThan(TIMEOUT_MS + 80);
});

it('aborts the signal when the client goes away before its response', async () => {
  const client = httpRequest(`${baseUrl}/waits-for-cancel`);
  client.on('error', () => {});
  client.end();
  await sleep(50);
  client.destroy();

  await expect(aborted).resolves.toMatch(/client closed the connection/);
});

it('reads the consistency the client asked for', async () => {
  const strong = await app.inject({ url: '/consistency', headers: { consistency: 'strong' } });
  const other = await app.inject({ url: '/consistency', headers: { consistency: 'whatever' } });

  expect(strong.json()).toEqual({ consistency: 'strong' });
  expect(other.json()).toEqual({ consistency: 'eventual' });
});
