// Business rules use Asia/Ho_Chi_Minh whatever the server's TZ: the tests run in a zone far from
// Vietnam (set before the workers start, so it takes effect); TEST_TZ overrides it.
process.env.TZ = process.env.TEST_TZ || 'America/Los_Angeles';

/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/flows'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};
