/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips types without checking them; `npm test` type-checks beside jest (scripts/tsc.mjs).
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // test/e2e/ (real engines), test/cluster/ (a real cluster), test/consumer/ (npm pack and a fresh
  // install) and test/mutations/ (the e2e and cluster suites against mutated output) have their own
  // configs and scripts, `npm run test:e2e`, `npm run test:cluster`, `npm run test:consumer` and
  // `npm run test:mutations`; CI runs them all.
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/cluster/', '/test/consumer/', '/test/mutations/'],
  // Modules written as a user writes them (the import command's output) import the package by name.
  moduleNameMapper: { '^homelab-secrets$': '<rootDir>/lib/index.ts', '^homelab-secrets/(tf|cli|workloads)$': '<rootDir>/lib/$1/index.ts' },
  // jest's default on 2 cores is one worker; printed-commands.test.ts waits on bash most of its time,
  // so a second worker runs the other files meanwhile.
  maxWorkers: 2,
  // One temp folder per run, removed at its end: no cdk8s.outdir.* or cdktf.outdir.* folders left behind.
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  // Stack traces captured on plain objects (cdktf does it per token) are not source-mapped.
  setupFilesAfterEnv: ['<rootDir>/test/support/stack-traces.js'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
