#!/usr/bin/env node
// The synth path: `npm run synth`, `npm run synth:k8s|tf`, `cdk8s synth` and `cdktf synth` run
//   node scripts/synth.mjs apps/<entry>
// which transpiles lib/, apps/ and imports/ with swc into dist/swc/ (only the files changed since the
// last run, by modification time; outputs whose source is gone are deleted), then runs the entry in this
// same process. swc strips the types without checking them, which is what makes a one-line edit cost a
// fraction of a second instead of a `tsc` run: type errors are caught by `npm test`, `npm run typecheck`
// and CI (`tsc --noEmit`), and catalog or settings mistakes still stop the synth through its runtime
// validation. `npm run build` (tsc into dist/) is unchanged and is what `bin` uses.
// The outputs carry inline source maps: NODE_OPTIONS=--enable-source-maps shows .ts lines in a stack
// trace (on by default it would cost about 50 ms a run).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'dist', 'swc');
const SOURCES = ['lib', 'apps', 'imports'];

// what jest's @swc/jest transform uses too (jest.config.js), as CommonJS like tsconfig.json
const SWC_OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
  configFile: false,
};

function walk(dir, found = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return found;
    throw error;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, found);
    else found.push(full);
  }
  return found;
}

/** Whether `file` is the temporary file of a transpile that still runs (`<out>.<pid>.tmp`). */
function writtenByRunning(file) {
  const pid = Number(/\.(\d+)\.tmp$/.exec(file)?.[1]);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Transpiles what changed; returns how many files it wrote. */
export function transpile() {
  const wanted = new Set();
  const stale = [];
  for (const source of SOURCES.flatMap((dir) => walk(join(ROOT, dir)))) {
    if (!source.endsWith('.ts') || source.endsWith('.d.ts')) continue;
    const out = join(OUT, relative(ROOT, source)).replace(/\.ts$/, '.js');
    wanted.add(out);
    const srcTime = statSync(source).mtimeMs;
    let outTime = -Infinity;
    try {
      outTime = statSync(out).mtimeMs;
    } catch {}
    // utimes below sets the source's time through a double of seconds, a fraction of a microsecond
    // off (and whole milliseconds before a Date): comparing whole milliseconds found about a third of
    // the outputs stale on every run. Any edit moves the time by far more than half a millisecond.
    if (Math.abs(outTime - srcTime) >= 0.5) stale.push({ source, out, srcTime });
  }
  if (stale.length) {
    const require = createRequire(import.meta.url);
    const swc = require('@swc/core');
    for (const { source, out, srcTime } of stale) {
      const { code } = swc.transformFileSync(source, { ...SWC_OPTIONS, filename: source });
      mkdirSync(dirname(out), { recursive: true });
      // Written beside and renamed into place: a synth running at the same time (cdk8s synth beside
      // npm run synth) loads the old module or the new one, never a half-written one.
      const tmp = `${out}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      // the output carries its source's mtime: any change of the source, also to an older time, rebuilds
      utimesSync(tmp, new Date(), srcTime / 1000);
      renameSync(tmp, out);
    }
  }
  // Outputs whose source is gone, and what a transpile that was killed left; not another's file in the making.
  for (const out of walk(OUT)) if (!wanted.has(out) && !writtenByRunning(out)) rmSync(out, { force: true });
  return stale.length;
}

/** Stops with one line and exit code 2: the entry is missing or is not a module (docs/library.md). */
function notAModule(message) {
  process.stderr.write(`homelab-secrets: ${message}\n`);
  process.exit(2);
}

/** swc's syntax error, `  x Expression expected\n   ,-[file:1:1]\n ...`, as `file:1:1: Expression expected`. */
function describeCompileError(error) {
  const text = String(error?.message ?? error);
  const where = /,-\[(.+?):(\d+):(\d+)\]/.exec(text);
  const what = /^\s*x (.+)$/m.exec(text)?.[1] ?? text.split('\n')[0];
  return where ? `${relative(process.cwd(), where[1])}:${where[2]}:${where[3]}: ${what}` : what;
}

const entry = process.argv[2];
if (!entry || !SOURCES.some((dir) => entry.startsWith(`${dir}/`))) {
  console.error('usage: node scripts/synth.mjs apps/<entry>   (e.g. apps/synth, apps/k8s, apps/tf)');
  process.exit(2);
}
const entrySource = join(ROOT, `${entry.replace(/\.ts$/, '')}.ts`);
if (!existsSync(entrySource)) {
  notAModule(`the entry point ${relative(process.cwd(), entrySource)} does not exist: name a module under ${SOURCES.join('/, ')}/, e.g. apps/synth`);
}
try {
  transpile();
} catch (error) {
  notAModule(`cannot compile ${describeCompileError(error)}: fix the syntax, then run the synth again`);
}
const require = createRequire(import.meta.url);
try {
  require(join(OUT, entry.replace(/\.ts$/, '')));
} catch (error) {
  // What the entry threw while loading, outside runSynthMain (a declaration that throws at its top
  // level, say): reported the way runSynthMain reports, with the file and line in the user's source.
  const { synthFailure } = require(join(OUT, 'lib', 'synth', 'index.js'));
  const { exitCode, text } = synthFailure(error);
  process.stderr.write(text);
  process.exitCode = exitCode;
}
