#!/usr/bin/env node
// `npm test`: the type check (tsc, no emit: scripts/tsc.mjs check) and the unit tests (jest --ci)
// side by side. Both must pass; jest's output streams as it runs, tsc's follows it. Running them one
// after the other made the type check a second or two of every warm run that the tests did not need
// to wait for.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const typecheck = new URL('./tsc.mjs', import.meta.url).pathname;
const jest = require.resolve('jest/bin/jest');

// jest runs with V8's optimizing compiler (TurboFan) off, and its workers inherit the flag. Each test
// file loads cdk8s, cdktf and the bindings into a fresh module registry and runs them briefly, so
// little code runs long enough to gain from optimizing, and on 2 cores the background compile threads
// took CPU from the tests: 9.7 s became 8.9 s on average over four interleaved pairs of runs.
function run(bin, args, stdio, nodeFlags = []) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, bin, ...args], { stdio });
    let output = '';
    if (stdio === 'pipe') {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

const [types, tests] = await Promise.all([
  run(typecheck, ['check'], 'pipe'),
  run(jest, ['--ci', ...process.argv.slice(2)], 'inherit', ['--no-opt']),
]);
if (types.code !== 0) {
  process.stderr.write(`\ntype check (tsc -b) failed:\n${types.output}`);
} else {
  process.stdout.write('type check (tsc -b): no type errors\n');
}
process.exit(types.code !== 0 ? types.code : tests.code);
