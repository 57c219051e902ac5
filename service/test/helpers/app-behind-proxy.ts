import type { FastifyInstance } from 'fastify';
import { buildTestApp } from './build-test-app';
import { Fixtures } from './fixtures';
import { startTcpProxy, throughProxy, type TcpProxy } from './tcp-proxy';
import { createTestDatabase, type TestDatabase } from './test-database';

/** Which dependency the app reaches only through the proxy, so that a test can take it away and give it back. */
export type ProxiedDependency = 'database' | 'redis';

/** A test app on a database of its own, with one dependency behind a TCP proxy the test can cut. */
export interface AppBehindProxy {
  readonly app: FastifyInstance;
  readonly proxy: TcpProxy;
  readonly database: TestDatabase;
  readonly fixtures: Fixtures;
  /** Closes the app, the proxy and the fixtures' connection, then drops the database. */
  close(): Promise<void>;
}

/** Creates a fresh database and starts the real app with `dependency` reached through a new proxy. */
export async function startAppBehindProxy(
  dependency: ProxiedDependency,
  env: Record<string, string> = {},
): Promise<AppBehindProxy> {
  const database = await createTestDatabase();
  const fixtures = await Fixtures.connect(database.directUrl);
  const target = new URL(
    dependency === 'database' ? database.url : (process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'),
  );
  const proxy = await startTcpProxy(
    target.hostname,
    Number(target.port || (dependency === 'database' ? 5432 : 6379)),
  );
  const app =
    dependency === 'database'
      ? await buildTestApp(throughProxy(database.url, proxy), env)
      : await buildTestApp(database.url, { ...env, REDIS_URL: throughProxy(target.toString(), proxy) });
  return {
    app,
    proxy,
    database,
    fixtures,
    close: async () => {
      await app.close();
      await proxy.close();
      await fixtures.close();
      await database.drop();
    },
  };
}
