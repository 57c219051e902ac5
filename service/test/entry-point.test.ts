import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TEST_JWT_SECRET } from './helpers/tokens';

const SRC = path.resolve(__dirname, '..', 'src');

/** Runs an entry point (`server.ts`, `relay.ts`) to its exit with only `env`, as a container would. */
function run(entry: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(SRC, entry)], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

it('exits 1 with the configuration error, and nothing else, when the server is misconfigured', () => {
  const result = run('server.ts', { DATABASE_URL: 'mysql://wrong-scheme', JWT_SECRET: TEST_JWT_SECRET });

  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^Invalid configuration: .*DATABASE_URL/);
  expect(result.stderr).not.toMatch(/\bat \S+ \(/);
});

it('exits 1 with the configuration error when the relay is misconfigured', () => {
  const result = run('relay.ts', { DATABASE_URL: 'mysql://wrong-scheme' });

  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^Invalid configuration: .*DATABASE_URL/);
});

describe('a server that cannot start', () => {
  let taken: Server;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('exits 1 saying it failed to start, with the reason', () => {
    const result = run('server.ts', {
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      JWT_SECRET: TEST_JWT_SECRET,
      HOST: '127.0.0.1',
      PORT: String((taken.address() as AddressInfo).port),
      LOG_LEVEL: 'silent',
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^failed to start: Error: listen EADDRINUSE/m);
  });
});
