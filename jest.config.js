// One jest run covers every part; integration suites share one PostgreSQL found (or started) by the global set-up.
const { existsSync } = require('node:fs');
const path = require('node:path');

const PARTS = ['service', 'infra', 'k8s', 'dashboards', 'scripts', 'bench'];

/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // Parts appear as they are built; jest refuses a root that does not exist.
  roots: PARTS.filter((part) => existsSync(path.join(__dirname, part))).map((part) => `<rootDir>/${part}`),
  testMatch: ['**/test/**/*.test.ts'],
  globalSetup: '<rootDir>/service/test/global-setup.ts',
  globalTeardown: '<rootDir>/service/test/global-teardown.ts',
  testTimeout: 30_000,
};
