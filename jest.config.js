/** Tests run TypeScript through @swc/jest (fast, no type check); `npm test` type-checks first with tsc. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  // Each test file loads the server's modules afresh into the same worker; a worker past this size is
  // replaced between files, so no file (test/reliability/event-loop.test.ts measures the main thread's own
  // work) runs behind the garbage collection of every earlier file's leftovers.
  workerIdleMemoryLimit: '512MB',
};
