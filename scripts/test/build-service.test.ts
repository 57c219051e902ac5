import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRelayProcess } from '../../service/test/helpers/relay-process';
import { startServerProcess } from '../../service/test/helpers/server-process';
import { createTestDatabase, type TestDatabase } from '../../service/test/helpers/test-database';
import { TEST_JWT_SECRET } from '../../service/test/helpers/tokens';
import { buildService } from '../build-service';

/** The budget for the bundle that goes into the image. */
const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;

let outDir: string;
let database: TestDatabase;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
  database = await createTestDatabase();
});

afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await database.drop();
});

it('bundles the server, the migration job and the relay under the size budget, with the migrations beside them', async () => {
  const sizes = await buildService(outDir);

  expect(Object.keys(sizes).sort()).toEqual(['migrate.js', 'relay.js', 'server.js']);
  for (const bytes of Object.values(sizes)) expect(bytes).toBeLessThan(MAX_BUNDLE_BYTES);
  expect(readdirSync(path.join(outDir, 'migrations')).some((file) => file.endsWith('.sql'))).toBe(true);
});

it('runs from the bundle alone: ready against PostgreSQL, exits 0 on SIGTERM', async () => {
  const server = await startServerProcess(
    { DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET },
    path.join(outDir, 'server.js'),
  );

  const ready = await fetch(`${server.baseUrl}/health/ready`);
  server.child.kill('SIGTERM');

  expect(ready.status).toBe(200);
  expect(await server.exited).toBe(0);
});

it('runs the relay from the bundle alone: its probes answer on its own port, exits 0 on SIGTERM', async () => {
  const relay = await startRelayProcess(
    {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      REDIS_KEY_PREFIX: 'test:bundle-relay:',
    },
    path.join(outDir, 'relay.js'),
  );

  const ready = await fetch(`${relay.healthUrl}/health/ready`);
  relay.child.kill('SIGTERM');

  expect(ready.status).toBe(200);
  expect(await relay.exited).toBe(0);
});
