/**
 * The consumer proof (test/consumer/): packs the library, installs the tarball into a fresh project
 * offline and synthesizes that project's own catalog; `npm run test:consumer`. Kept out of `npm test`
 * because npm and a second tsc take most of a core for about 10 s; CI runs it after `npm test`.
 */
const unit = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  roots: ['<rootDir>/test/consumer'],
  testPathIgnorePatterns: ['/node_modules/'],
};
