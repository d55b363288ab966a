// Runs in every test file after jest installed source-map-support, which maps each frame of each
// stack trace V8 formats through the source maps of the files on it. cdktf captures a whole stack
// trace on a plain object for every token it creates (tokens/private/stack-trace.js), only to show
// it if that token later fails to resolve; mapping those frames parsed the inline source maps of
// cdktf and the provider bindings again in every test file, about 0.7 s of a `npm test` on 2 cores.
// Stack traces of errors (every failure jest reports) are still mapped; captures on other objects
// get V8's own format, with the compiled positions.
const { isNativeError } = require('node:util').types;

const mapped = Error.prepareStackTrace;
if (typeof mapped === 'function') {
  Error.prepareStackTrace = (error, frames) => (error instanceof Error || isNativeError(error)
    ? mapped(error, frames)
    : [String(error), ...frames.map((frame) => `    at ${frame}`)].join('\n'));
}
