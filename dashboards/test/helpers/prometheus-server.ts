// Runs a real Prometheus server (Debian's `prometheus` package) on 127.0.0.1 for the end-to-end check, and
// queries it over its HTTP API. A missing binary fails the suite with the install command, as promtool does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { PROMTOOL_INSTALL } from './promtool';
import { startReadyServer, type ReadyServerProcess } from './ready-server-process';

/** Throws, naming the install command, unless the `prometheus` server binary runs. */
export function requirePrometheus(): void {
  const probe = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`prometheus is not installed or does not run: install it with \`${PROMTOOL_INSTALL}\``);
  }
}

/** One scrape target and the labels service discovery would have put on it. */
export interface ScrapeTarget {
  /** `host:port`. */
  readonly address: string;
  /** Target labels, for example the namespace and pod Kubernetes discovery adds. */
  readonly labels: Readonly<Record<string, string>>;
}

/** What the server loads and scrapes. */
export interface PrometheusServerProps {
  /** Rule files to load (globs allowed). */
  readonly ruleFiles: readonly string[];
  /** Targets of the one scrape job. */
  readonly targets: readonly ScrapeTarget[];
  /** Metrics path of the targets. */
  readonly metricsPath: string;
  /** Scrape and rule evaluation interval, for example `1s`. */
  readonly interval: string;
}

/** One series of a query result: labels and `[unix seconds, value]` samples. */
export interface Series {
  readonly metric: Readonly<Record<string, string>>;
  readonly values?: readonly [number, string][];
  readonly value?: [number, string];
}

/** An alert as `/api/v1/alerts` lists it. */
export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing';
  readonly value: string;
}

/** A running Prometheus. */
export interface PrometheusServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Instant query; throws on a PromQL error. */
  query(expr: string): Promise<Series[]>;
  /** Range query over `[start, end]` (unix seconds); throws on a PromQL error. */
  queryRange(expr: string, start: number, end: number, step: string): Promise<Series[]>;
  /** Alerts pending or firing now. */
  alerts(): Promise<ActiveAlert[]>;
  /** Stops the server by its pid and removes its storage and configuration. */
  stop(): Promise<void>;
}

/** Starts Prometheus on a free 127.0.0.1 port with a fresh storage directory, and waits until it is ready. */
export async function startPrometheus(props: PrometheusServerProps): Promise<PrometheusServer> {
  requirePrometheus();
  const dir = mkdtempSync(path.join(tmpdir(), 'prometheus-e2e-'));
  const configFile = path.join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    stringify({
      global: {
        scrape_interval: props.interval,
        scrape_timeout: props.interval,
        evaluation_interval: props.interval,
      },
      rule_files: [...props.ruleFiles],
      scrape_configs: [
        {
          job_name: 'api',
          metrics_path: props.metricsPath,
          static_configs: props.targets.map((t) => ({ targets: [t.address], labels: { ...t.labels } })),
        },
      ],
    }),
  );
  let server: ReadyServerProcess;
  try {
    server = await startReadyServer('prometheus', (port) => [
      `--config.file=${configFile}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      '--log.level=warn',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { url } = server;
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const response = await fetch(`${url}${pathAndQuery}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${pathAndQuery}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    async query(expr) {
      return (await api<{ result: Series[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result;
    },
    async queryRange(expr, start, end, step) {
      const params = new URLSearchParams({ query: expr, start: String(start), end: String(end), step });
      return (await api<{ result: Series[] }>(`/api/v1/query_range?${params}`)).result;
    },
    async alerts() {
      return (await api<{ alerts: ActiveAlert[] }>('/api/v1/alerts')).alerts;
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
