import { loadPlatformConfig } from '../../infra/config/platform-config';
import { apiEnvironment } from '../../k8s/lib/api-environment';
import { cacheSteadyStateSeconds, serviceEnv } from '../lib/service-env';

const env = serviceEnv({
  port: 3000,
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/bench',
  redisUrl: 'redis://127.0.0.1:6379',
  redisKeyPrefix: 'bench:test:',
});

it('is one Redis TTL of the service under test, with its jitter, in whole seconds', () => {
  expect(cacheSteadyStateSeconds({ ...env, CACHE_REDIS_TTL_MS: '10000' })).toBe(11);
  expect(cacheSteadyStateSeconds({ ...env, CACHE_REDIS_TTL_MS: '60000' })).toBe(66);
});

it("runs the service with the production pod's Node.js options, so its heap is sized as in production", () => {
  const prod = loadPlatformConfig('prod');

  expect(env.NODE_OPTIONS).toBe(apiEnvironment(prod, prod.primaryRegion).NODE_OPTIONS);
  expect(env.NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
});
