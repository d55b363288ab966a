/**
 * The mutation suite (test/mutations/): each mutation of the synthesized output must make an
 * end-to-end suite fail; `npm run test:mutations`, after `npm run engines`. CI runs it in the
 * background from `npm test` on.
 */
const unit = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  roots: ['<rootDir>/test/mutations'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Each mutation runs end-to-end suites one after the other; they start their own servers.
  testTimeout: 30 * 60_000,
  maxWorkers: 1,
};
