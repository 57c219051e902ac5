// Runs the real Alertmanager (Debian's `prometheus-alertmanager` package) and its `amtool` on 127.0.0.1. A missing
// binary fails the suite with the install command: a routing tree that was never loaded must not pass.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startReadyServer,
  type ReadyServerProcess,
} from '../../../dashboards/test/helpers/ready-server-process';

/** How to get Alertmanager and amtool on the machines this repository is developed and tested on. */
export const ALERTMANAGER_INSTALL = 'apt-get install -y prometheus-alertmanager';

/** Debian installs the server as `prometheus-alertmanager`; upstream archives call it `alertmanager`. */
const SERVER_BINARIES = ['prometheus-alertmanager', 'alertmanager'];

function runs(command: string, args: readonly string[]): boolean {
  const probe = spawnSync(command, [...args], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
}

/** The Alertmanager server's command, or a thrown error naming the install command. */
export function requireAlertmanager(): string {
  const server = SERVER_BINARIES.find((binary) => runs(binary, ['--version']));
  if (server === undefined || !runs('amtool', ['--version'])) {
    throw new Error(
      `Alertmanager and amtool are not installed: install them with \`${ALERTMANAGER_INSTALL}\``,
    );
  }
  return server;
}

/** Output of one amtool run. */
export interface AmtoolResult {
  readonly code: number | null;
  /** Standard output only (amtool warns on standard error). */
  readonly stdout: string;
  /** Standard output and error. */
  readonly output: string;
}

/** Runs `amtool` with `args` and returns its exit code and output. */
export function runAmtool(args: readonly string[]): AmtoolResult {
  const run = spawnSync('amtool', [...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, output: `${run.stdout}${run.stderr}` };
}

/** Writes `config` (JSON is YAML) to a new temporary file and returns its path and a clean-up. */
export function writeConfigFile(config: unknown): { file: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'alertmanager-config-'));
  const file = path.join(dir, 'alertmanager.yml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An alert as Prometheus posts it to Alertmanager's v2 API. */
export interface PostedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A running Alertmanager. */
export interface AlertmanagerServer {
  readonly url: string;
  /** Posts alerts as Prometheus does (`POST /api/v2/alerts`), firing from now. */
  post(alerts: readonly PostedAlert[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Alertmanager with `config` on a free port, without clustering, and waits until it is ready. */
export async function startAlertmanager(config: unknown): Promise<AlertmanagerServer> {
  const server = requireAlertmanager();
  const { file, remove } = writeConfigFile(config);
  let running: ReadyServerProcess;
  try {
    running = await startReadyServer(server, (port) => [
      `--config.file=${file}`,
      `--storage.path=${path.join(path.dirname(file), 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // No gossip: one instance, and no port opened beyond the loopback API.
      '--cluster.listen-address=',
      '--log.level=warn',
    ]);
  } catch (error) {
    remove();
    throw error;
  }
  const { url } = running;
  const stop = async () => {
    await running.stop();
    remove();
  };
  return {
    url,
    async post(alerts) {
      const startsAt = new Date().toISOString();
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts.map((alert) => ({ annotations: {}, ...alert, startsAt }))),
      });
      if (!response.ok) throw new Error(`POST /api/v2/alerts: ${response.status} ${await response.text()}`);
    },
    stop,
  };
}
