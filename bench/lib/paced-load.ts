import http from 'node:http';
import type { LoadResult } from './load-runner';
import { summarizeLatencies } from './percentiles';

/** An open-loop load at a fixed rate against 127.0.0.1. */
export interface PacedLoadProps {
  readonly url: string;
  /** Requests per second, spread evenly over each second. */
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** Most connections open at once; a request finding none free waits, and the wait counts in its latency. */
  readonly maxConnections: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** How often the scheduler wakes to send the requests that are due. */
const TICK_MS = 1;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends requests at evenly spaced instants (request `i` is due at `i / rate` s), whether or not earlier ones
 * were answered, and times each from when it was issued: a request that finds every connection busy waits in
 * the agent's queue, and that wait counts (no coordinated omission). It is not timed from its due instant,
 * since the scheduler's own lateness (a 1 ms timer fires up to a few ms late on an idle loop) is the load
 * generator's, not the service's. autocannon's `overallRate` cannot do this: each connection sends its share
 * of a second back to back at the start of that second, so its p99 measures that burst.
 */
export async function runPacedLoad(props: PacedLoadProps): Promise<LoadResult> {
  const url = new URL(props.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`the bench only loads 127.0.0.1, not ${url.hostname}`);
  if (!(props.ratePerSecond > 0)) throw new Error('runPacedLoad: ratePerSecond must be > 0');
  const agent = new http.Agent({ keepAlive: true, maxSockets: props.maxConnections });
  const total = Math.round(props.ratePerSecond * props.durationSeconds);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let settled = 0;
  const start = performance.now();

  const send = (done: () => void) => {
    const issuedAt = performance.now();
    const request = http.request(
      url,
      { agent, headers: { ...props.headers }, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        response.resume();
        response.on('end', () => {
          latencies.push(performance.now() - issuedAt);
          const status = response.statusCode ?? 0;
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          if (status < 200 || status >= 400) errors++;
          done();
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', () => {
      errors++;
      done();
    });
    request.end();
  };

  await new Promise<void>((resolve) => {
    const onSettled = () => {
      settled++;
      if (settled === total) resolve();
    };
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * props.ratePerSecond));
      for (; sent < due; sent++) send(onSettled);
      if (sent === total) clearInterval(timer);
    }, TICK_MS);
  });
  const elapsedSeconds = (performance.now() - start) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / elapsedSeconds,
    latency: summarizeLatencies(latencies),
    errors,
    statusCodes,
  };
}
