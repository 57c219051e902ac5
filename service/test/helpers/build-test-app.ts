import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { parseConfig, type ServiceConfig } from '../../src/config';
import { TEST_JWT_SECRET } from './tokens';

/** The configuration a test app runs with: its own database and Redis key space, the test secret, quiet logs. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): ServiceConfig {
  return parseConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    // Jest workers compile and run suites in parallel: their event-loop lag says nothing about the app.
    // The load-shedding suite turns shedding back on.
    LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  });
}

/** Builds the real app on a test database; close it in `afterAll`. */
export async function buildTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(databaseUrl, env));
  await app.ready();
  return app;
}
