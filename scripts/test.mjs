#!/usr/bin/env node
// `npm test`: the type check (tsc --noEmit) and the unit tests (jest --ci) side by side. Both must
// pass; jest's output streams as it runs, tsc's follows it. Running them in one after the other made
// the type check a second or two of every warm run that the tests did not need to wait for.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const jest = require.resolve('jest/bin/jest');

function run(bin, args, stdio) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio });
    let output = '';
    if (stdio === 'pipe') {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

const [types, tests] = await Promise.all([
  run(tsc, ['-p', 'tsconfig.json', '--noEmit'], 'pipe'),
  run(jest, ['--ci', ...process.argv.slice(2)], 'inherit'),
]);
if (types.code !== 0) {
  process.stderr.write(`\ntsc --noEmit failed:\n${types.output}`);
} else {
  process.stdout.write('tsc --noEmit: no type errors\n');
}
process.exit(types.code !== 0 ? types.code : tests.code);
