#!/usr/bin/env node
// tsc in build mode (`tsc -b`), for the type check (`node scripts/tsc.mjs check`: tsconfig.json, no
// emit) and the build (`node scripts/tsc.mjs build`: tsconfig.build.json into dist/).
//
// When no source changed since the last run, `tsc -b` reads its build info and stops in about 0.5 s,
// where `tsc -p` parses every declaration file again (3 to 4 s here). A changed source is checked as
// by `tsc -p`. `tsc -b` decides what is up to date from the sources' timestamps only; two things it
// does not see force a full run here (`--force`):
// - package-lock.json newer than the build info: the dependencies' .d.ts may have changed;
// - for the build, a source of the last build whose .js or .d.ts is gone (a deleted dist/lib, say).
// A fresh clone has no build info, so CI always runs the full check.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** `buildInfo` is the config's tsBuildInfoFile; a run that does not write it there fails, saying so. */
const MODES = {
  check: { config: 'tsconfig.json', buildInfo: 'dist/.tsbuildinfo', args: ['--noEmit'], emits: false },
  build: { config: 'tsconfig.build.json', buildInfo: 'dist/.tsbuildinfo-build', args: [], emits: true },
};

const mode = MODES[process.argv[2]];
if (!mode) {
  process.stderr.write(`usage: node scripts/tsc.mjs ${Object.keys(MODES).join('|')}\n`);
  process.exit(2);
}
const buildInfo = join(ROOT, mode.buildInfo);

/**
 * The first source of the last build whose .js or .d.ts is missing, from the build info itself: its
 * `root` lists the sources (1-based ids into `fileNames`, or ranges of them), `options` the outDir
 * and rootDir, all relative to the build info's folder. Build info it cannot read counts as missing.
 */
function missingOutput() {
  try {
    const info = JSON.parse(readFileSync(buildInfo, 'utf8'));
    const base = dirname(buildInfo);
    const outDir = resolve(base, info.options.outDir);
    const rootDir = resolve(base, info.options.rootDir);
    const ids = info.root.flatMap((entry) => (Array.isArray(entry) ? Array.from({ length: entry[1] - entry[0] + 1 }, (_, i) => entry[0] + i) : [entry]));
    for (const id of ids) {
      const source = resolve(base, info.fileNames[id - 1]);
      if (!source.endsWith('.ts') || source.endsWith('.d.ts')) continue;
      const out = join(outDir, relative(rootDir, source)).slice(0, -'.ts'.length);
      for (const file of [`${out}.js`, ...(info.options.declaration ? [`${out}.d.ts`] : [])]) {
        if (!existsSync(file)) return relative(ROOT, file);
      }
    }
    return undefined;
  } catch {
    return `${mode.buildInfo} (unreadable)`;
  }
}

function reasonToForce() {
  if (!existsSync(buildInfo)) return undefined; // tsc -b runs in full anyway
  if (statSync(join(ROOT, 'package-lock.json')).mtimeMs > statSync(buildInfo).mtimeMs) return 'package-lock.json changed';
  const missing = mode.emits ? missingOutput() : undefined;
  return missing ? `${missing} is missing` : undefined;
}

const force = reasonToForce();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-b', mode.config, ...mode.args, ...(force ? ['--force'] : [])], { cwd: ROOT, stdio: 'inherit' });
if (result.status === 0 && !existsSync(buildInfo)) {
  process.stderr.write(`scripts/tsc.mjs: tsc -b wrote no ${mode.buildInfo}: set MODES.${process.argv[2]}.buildInfo to the tsBuildInfoFile of ${mode.config}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
