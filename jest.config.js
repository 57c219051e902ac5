// One jest run covers every part; integration suites share one PostgreSQL found (or started) by the global set-up.
// The database and API suites run a second time through PgBouncer in transaction mode, the stand-in for RDS
// Proxy: what the service needs per session must hold through a proxy that refuses startup options.
const { existsSync } = require('node:fs');
const path = require('node:path');

const PARTS = ['service', 'infra', 'k8s', 'dashboards', 'scripts', 'bench'];

/** The suites that talk to PostgreSQL through the service's pools. */
const DATABASE_SUITES = [
  '<rootDir>/service/test/routes/**/*.test.ts',
  '<rootDir>/service/test/db/**/*.test.ts',
  '<rootDir>/service/test/outbox/**/*.test.ts',
  '<rootDir>/service/test/plugins/app/**/*.test.ts',
  '<rootDir>/service/test/server.test.ts',
];

const common = { preset: 'ts-jest', testEnvironment: 'node' };

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/service/test/global-setup.ts',
  globalTeardown: '<rootDir>/service/test/global-teardown.ts',
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'all',
      // Parts appear as they are built; jest refuses a root that does not exist.
      roots: PARTS.filter((part) => existsSync(path.join(__dirname, part))).map(
        (part) => `<rootDir>/${part}`,
      ),
      testMatch: ['**/test/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'through-pgbouncer',
      roots: ['<rootDir>/service'],
      testMatch: DATABASE_SUITES,
      setupFiles: ['<rootDir>/service/test/helpers/route-through-pgbouncer.ts'],
    },
  ],
};
