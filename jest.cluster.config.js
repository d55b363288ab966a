/** The real-cluster suite (`npm run engines` first); `npm run test:cluster`. */
const unit = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
  // Each file starts its own cluster (etcd, kube-apiserver, OpenBao, ESO, Reloader): one at a time.
  maxWorkers: 1,
};
