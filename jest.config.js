/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips types without checking them; `npm test` type-checks once with `tsc --noEmit` first.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
