import type { Config } from 'jest';

// One jest run covers every part; integration suites share one PostgreSQL found (or started) by the global set-up.
const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/service', '<rootDir>/infra', '<rootDir>/k8s', '<rootDir>/dashboards', '<rootDir>/scripts'],
  testMatch: ['**/test/**/*.test.ts'],
  globalSetup: '<rootDir>/service/test/global-setup.ts',
  globalTeardown: '<rootDir>/service/test/global-teardown.ts',
  testTimeout: 30_000,
};

export default config;
