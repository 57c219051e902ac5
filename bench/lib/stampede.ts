import { Agent, request } from 'node:http';
import { summarizeLatencies, type LatencySummary } from './percentiles';

/** What a stampede measured on the client side. */
export interface StampedeResult {
  readonly requests: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly latency: LatencySummary;
  /** Wall time from the first request sent to the last response, in ms. */
  readonly wallMs: number;
}

function get(agent: Agent, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * Sends `concurrency` GETs for `path` at the same instant: the sockets are opened and kept alive first
 * (with a request to `warmPath`), so all requests are in flight together rather than queued behind connects.
 */
export async function stampede(
  baseUrl: string,
  path: string,
  warmPath: string,
  concurrency: number,
  headers: Record<string, string>,
): Promise<StampedeResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  try {
    await Promise.all(Array.from({ length: concurrency }, () => get(agent, `${baseUrl}${warmPath}`, {})));
    const latencies: number[] = [];
    const statusCodes: Record<string, number> = {};
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const sent = performance.now();
        const status = await get(agent, `${baseUrl}${path}`, headers).catch(() => 0);
        latencies.push(performance.now() - sent);
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      }),
    );
    return {
      requests: concurrency,
      statusCodes,
      latency: summarizeLatencies(latencies),
      wallMs: performance.now() - started,
    };
  } finally {
    agent.destroy();
  }
}
