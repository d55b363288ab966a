/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips types without checking them; `npm test` type-checks once with `tsc --noEmit` first.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  // Modules written as a user writes them (the import command's output) import the package by name.
  moduleNameMapper: { '^homelab-secrets$': '<rootDir>/lib/index.ts', '^homelab-secrets/(tf|cli|workloads)$': '<rootDir>/lib/$1/index.ts' },
  // jest's default on 2 cores is one worker; the consumer test waits on npm and tsc processes most of
  // its time, so a second worker runs the other files meanwhile.
  maxWorkers: 2,
  // One temp folder per run, removed at its end: no cdk8s.outdir.* or cdktf.outdir.* folders left behind.
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
