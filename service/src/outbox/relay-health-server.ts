import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { LIVENESS_PATH, METRICS_PATH, PROBE_AND_SCRAPE_PATHS } from '../probe-paths';

/** A readiness check: resolves when the dependency answers, throws when it does not. */
export type ReadinessCheck = () => Promise<void>;

/** Settings of the relay's health listener. */
export interface RelayHealthServerOptions {
  /** Address to listen on (`0.0.0.0` in a container). */
  readonly host: string;
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Served at `/metrics`. */
  readonly registry: Registry;
  /** Named dependency checks; readiness is 200 only while every one passes. */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  /** True once the relay is stopping: readiness then answers 503 without checking anything. */
  readonly isDraining: () => boolean;
  /**
   * Longest a check may take before it counts as unreachable, in milliseconds.
   * @default 1000
   */
  readonly checkTimeoutMs?: number;
}

/** A listening health server. */
export interface RelayHealthServer {
  /** The port it listens on (the chosen one when 0 was asked). */
  readonly port: number;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/**
 * The relay's probes and metrics on plain `node:http`: the relay has three routes and no clients but the
 * kubelet and Prometheus, so it carries no web framework. Liveness touches no dependency; readiness checks
 * the database and the sink each time it is asked, so it never reports a stale "ok".
 */
export async function startRelayHealthServer(options: RelayHealthServerOptions): Promise<RelayHealthServer> {
  const timeoutMs = options.checkTimeoutMs ?? 1000;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, 500, { error: { code: 'internal_error', message: (error as Error).message } });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    if (!(PROBE_AND_SCRAPE_PATHS as readonly string[]).includes(path)) {
      return send(response, 404, { error: { code: 'not_found', message: `no route ${path}` } });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, {
        error: { code: 'method_not_allowed', message: `${request.method} is not allowed on ${path}` },
      });
    }
    if (path === LIVENESS_PATH) return send(response, 200, { status: 'ok' });
    if (path === METRICS_PATH) {
      const body = await options.registry.metrics();
      response.writeHead(200, { 'Content-Type': options.registry.contentType });
      response.end(body);
      return;
    }
    if (options.isDraining()) return send(response, 503, { status: 'draining' });
    const checks: Record<string, string> = {};
    await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        checks[name] = (await passes(check, timeoutMs)) ? 'ok' : 'unreachable';
      }),
    );
    const ready = Object.values(checks).every((result) => result === 'ok');
    send(response, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', checks });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections from the kubelet or Prometheus would otherwise hold the close open.
        server.closeAllConnections();
      }),
  };
}

/** Whether `check` resolves within `timeoutMs`. */
async function passes(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check().then(() => true as const), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}
