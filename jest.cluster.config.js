/** The real-cluster suite (`npm run engines` first); `npm run test:cluster`. */
const unit = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
  // Each file starts its own cluster (etcd, kube-apiserver, OpenBao, ESO, Reloader) in its own
  // namespaces, so two run side by side without sharing a port. Much of a file's time is waiting (ESO's
  // retries while Vault is down, above all), which the other file's work fills.
  maxWorkers: 2,
};
