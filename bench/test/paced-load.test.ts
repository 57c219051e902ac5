import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runPacedLoad } from '../lib/paced-load';

let server: Server;
let baseUrl: string;
let arrivals: number[] = [];
/** How long the test server takes to answer, in ms. */
let serviceTimeMs = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    arrivals.push(performance.now());
    const status = request.url === '/missing' ? 404 : 200;
    setTimeout(() => response.writeHead(status).end('ok'), serviceTimeMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  arrivals = [];
  serviceTimeMs = 0;
});

it('spreads the requests of each second evenly instead of sending them in a burst', async () => {
  const result = await runPacedLoad({
    url: baseUrl,
    ratePerSecond: 200,
    durationSeconds: 1,
    maxConnections: 20,
  });

  expect(result.requests).toBe(200);
  expect(result.errors).toBe(0);
  // 200 req/s is 20 per 100 ms; a burst would put most of them (up to 200) in the first window. The bound leaves room
  // for the scheduler catching up after a stall of its event loop, which a machine busy with other suites causes.
  const first = arrivals[0];
  const perWindow = Array.from(
    { length: 10 },
    (_, window) =>
      arrivals.filter((at) => at - first >= window * 100 && at - first < (window + 1) * 100).length,
  );
  expect(Math.max(...perWindow)).toBeLessThanOrEqual(50);
  expect(Math.min(...perWindow.slice(0, 9))).toBeGreaterThanOrEqual(10);
});

it('counts the wait for a busy connection in the latency of the requests that waited', async () => {
  serviceTimeMs = 50;

  // One connection answering in 50 ms can serve 20 req/s: at 40 req/s the queue grows for the whole second.
  const result = await runPacedLoad({
    url: baseUrl,
    ratePerSecond: 40,
    durationSeconds: 1,
    maxConnections: 1,
  });

  expect(result.requests).toBe(40);
  expect(result.latency.p50).toBeGreaterThan(200);
  expect(result.latency.max).toBeGreaterThan(900);
});

it('counts answers of 400 and above as errors, by status', async () => {
  const result = await runPacedLoad({
    url: `${baseUrl}/missing`,
    ratePerSecond: 50,
    durationSeconds: 0.2,
    maxConnections: 5,
  });

  expect(result.errors).toBe(10);
  expect(result.statusCodes).toEqual({ 404: 10 });
});

it('refuses any host but 127.0.0.1', async () => {
  await expect(
    runPacedLoad({ url: 'http://localhost:1/', ratePerSecond: 1, durationSeconds: 1, maxConnections: 1 }),
  ).rejects.toThrow(/only loads 127\.0\.0\.1/);
});
