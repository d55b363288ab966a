/** End-to-end tests against real engines (`npm run engines` first); `npm run test:e2e`. */
const unit = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  roots: ['<rootDir>/test/e2e'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
  // Each file starts its own dev server and Terraform runs; one at a time keeps 2 cores responsive.
  maxWorkers: 1,
};
