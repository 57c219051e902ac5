import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/dev/free-port';

/** A PgBouncer in transaction pooling mode in front of the test PostgreSQL, standing in for RDS Proxy. */
export interface PgBouncer {
  /** Port PgBouncer listens on at 127.0.0.1. */
  readonly port: number;
  stop(): Promise<void>;
}

/** Printed when PgBouncer is missing: the proxied suites need a real one, and the run fails rather than skipping them. */
export const PGBOUNCER_HELP = 'apt-get install -y pgbouncer';

/**
 * Starts PgBouncer 1.18+ (Debian's `pgbouncer`) for every database of the server at `serverUrl`.
 *
 * Transaction pooling hands each transaction a possibly different server connection, so session state set by a
 * client does not hold, as with RDS Proxy's multiplexing. `ignore_startup_parameters` is left empty on purpose:
 * PgBouncer then refuses `options` as RDS Proxy does ("unsupported startup parameter: options"), and any other
 * parameter it does not track, such as `statement_timeout`.
 */
export async function startPgBouncer(
  serverUrl: string,
  otherUsers: readonly string[] = [],
): Promise<PgBouncer> {
  const binary = findPgBouncer();
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const port = await freePort();
  // Readable by the unprivileged user PgBouncer switches to when started as root.
  const directory = mkdtempSync(path.join(tmpdir(), 'pgbouncer-'));
  chmodSync(directory, 0o755);
  const userList = path.join(directory, 'userlist.txt');
  // Every user signs in to the server with the same password (the test server trusts local connections, or
  // the global set-up gave the workload roles the superuser's password).
  const password = decodeURIComponent(server.password);
  writeFileSync(userList, [user, ...otherUsers].map((name) => `"${name}" "${password}"\n`).join(''), {
    mode: 0o644,
  });
  const configFile = path.join(directory, 'pgbouncer.ini');
  writeFileSync(
    configFile,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${userList}`,
      'pool_mode = transaction',
      'max_client_conn = 2000',
      'default_pool_size = 50',
      'ignore_startup_parameters =',
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  // PgBouncer refuses to run as root; -u makes it drop to the PostgreSQL user.
  const args = process.getuid?.() === 0 ? ['-u', 'postgres', configFile] : [configFile];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  try {
    await waitForPort(port, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    async stop() {
      await stopChild(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Rewrites a connection URL of the test server to go through PgBouncer (same user and database). */
export function throughPgBouncer(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return proxied.toString();
}

function findPgBouncer(): string {
  const directories = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const directory of directories.filter(Boolean)) {
    const candidate = path.join(directory, 'pgbouncer');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `The tests need PgBouncer (the stand-in for RDS Proxy) and none is installed. To get it:\n  ${PGBOUNCER_HELP}`,
  );
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`PgBouncer exited with code ${child.exitCode}:\n${output()}`);
    }
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`PgBouncer did not listen on 127.0.0.1:${port} within 10 s:\n${output()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // SIGINT: PgBouncer's "safe shutdown" waits for clients; SIGTERM closes them at once.
    child.kill('SIGTERM');
  });
}
