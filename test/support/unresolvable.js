// `node -r ./test/support/unresolvable.js`: the packages named in HOMELAB_SECRETS_UNRESOLVABLE
// (comma-separated) cannot be resolved, as in a project that did not install them: require() and
// require.resolve() throw Node's own MODULE_NOT_FOUND error for them and for any file inside them.
// Every request for one of them is recorded; `blockedRequests()` lists them in order.
const Module = require('node:module');

const blocked = (process.env.HOMELAB_SECRETS_UNRESOLVABLE ?? '').split(',').filter(Boolean);
const requests = [];
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function (request, ...rest) {
  if (blocked.some((name) => request === name || request.startsWith(`${name}/`))) {
    requests.push(request);
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};

globalThis.blockedRequests = () => [...requests];
