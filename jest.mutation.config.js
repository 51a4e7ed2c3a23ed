// Jest for Stryker (npm run test:mutation): the unit tests only, no database, so each mutant
// runs in milliseconds. The e2e suites cover the Nest glue of src/abilities/ (guard, services,
// controller, route inventory), which stryker.config.json therefore does not mutate.
const fs = require('node:fs');
const swcConfig = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcConfig, sourceMaps: 'inline', swcrc: false }] },
  roots: ['<rootDir>/src', '<rootDir>/test/unit'],
  testMatch: ['**/*.spec.ts'],
  setupFiles: ['reflect-metadata'],
};
