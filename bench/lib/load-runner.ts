import autocannon, { type Request } from 'autocannon';
import { summarizeLatencies, type LatencySummary } from './percentiles';

/** One bounded load run against 127.0.0.1. */
export interface LoadProps {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests autocannon cycles through (with `setupRequest`/`onResponse` for dynamic ones). */
  readonly requests?: Request[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Total requests per second to offer; @default - as fast as the server answers */
  readonly overallRate?: number;
}

/** What a load run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latency: LatencySummary;
  /** Non-2xx responses, socket errors and timeouts. */
  readonly errors: number;
  /** Counts per status code, to tell what the errors were. */
  readonly statusCodes: Readonly<Record<string, number>>;
}

/** Runs autocannon, recording every response's latency so percentiles are exact (not bucketed). */
export async function runLoad(props: LoadProps): Promise<LoadResult> {
  const url = new URL(props.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`the bench only loads 127.0.0.1, not ${url.hostname}`);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: props.url,
        connections: props.connections,
        duration: props.durationSeconds,
        headers: { ...props.headers },
        ...(props.requests ? { requests: props.requests } : {}),
        ...(props.overallRate ? { overallRate: props.overallRate } : {}),
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance!.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    latencies.push(responseTimeMs);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const result = await finished;
  const requests = latencies.length;
  const failedResponses = Object.entries(statusCodes)
    .filter(([status]) => Number(status) >= 400 || Number(status) < 200)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests,
    requestsPerSecond: requests / (result.duration || props.durationSeconds),
    latency: summarizeLatencies(latencies),
    errors: failedResponses + result.errors + result.timeouts,
    statusCodes,
  };
}
