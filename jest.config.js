// Two projects: `unit` (pure logic, no database) and `e2e` (the real AppModule on a real
// PostgreSQL, one database cloned from a migrated template per test file).
const fs = require('node:fs');
const swcConfig = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const transform = { '^.+\\.ts$': ['@swc/jest', { ...swcConfig, sourceMaps: 'inline', swcrc: false }] };

/** @type {import('jest').Config} */
module.exports = {
  // Per-project testTimeout is ignored by Jest 30; e2e suites boot apps and databases.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      roots: ['src', 'test/unit'].filter((dir) => fs.existsSync(`${__dirname}/${dir}`)).map((dir) => `<rootDir>/${dir}`),
      testMatch: ['**/*.spec.ts'],
      setupFiles: ['reflect-metadata'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      // examples/client-e2e: the sample client-team suite on the public test kit (test/kit).
      roots: ['test/e2e', 'examples/client-e2e'].filter((dir) => fs.existsSync(`${__dirname}/${dir}`)).map((dir) => `<rootDir>/${dir}`),
      testMatch: ['**/*.e2e-spec.ts'],
      setupFiles: ['reflect-metadata'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      testTimeout: 60000,
    },
  ],
};
