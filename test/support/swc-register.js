// `node -r ./test/support/swc-register.js file.ts`: runs the TypeScript sources as jest does, for
// tests that spawn a real process over them (a killed synth, the CLI's bin).
const swc = require('@swc/core');
require.extensions['.ts'] = (module, file) => {
  const { code } = swc.transformFileSync(file, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  module._compile(code, file);
};
