import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheEnv, useCodeCache } from './project';

describe('the sweep\'s code cache (code-cache.js)', () => {
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-code-cache-'));
    cache = join(dir, 'cache');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (rel: string, text: string): string => {
    const file = join(dir, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  const run = (main: string): { status: number | null; stdout: string; stderr: string } => {
    // as the sweep starts its processes (NODE_OPTIONS)
    useCodeCache(cache);
    const result = spawnSync(process.execPath, [main], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, ...codeCacheEnv() } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const entries = (): string[] => {
    try {
      return readdirSync(cache).sort();
    } catch {
      return [];
    }
  };

  test('a dependency\'s module is compiled once: the next process reads it from the cache, with the same behaviour', () => {
    write('node_modules/dep/index.js', 'exports.value = () => "first";\n');
    const main = write('main.js', 'console.log(require("dep").value());\n');
    expect(run(main)).toStrictEqual({ status: 0, stdout: 'first\n', stderr: '' });
    expect(entries()).toHaveLength(1);
    expect(run(main)).toStrictEqual({ status: 0, stdout: 'first\n', stderr: '' });
    expect(entries()).toHaveLength(1);
  });

  test('a changed module of the same length runs as changed (V8 checks only the length: the entry is named by the content)', () => {
    write('node_modules/dep/index.js', 'exports.value = () => "aaaa";\n');
    const main = write('main.js', 'console.log(require("dep").value());\n');
    expect(run(main).stdout).toBe('aaaa\n');
    write('node_modules/dep/index.js', 'exports.value = () => "bbbb";\n');
    expect(run(main).stdout).toBe('bbbb\n');
    expect(entries()).toHaveLength(2);
  });

  test('a module outside node_modules/ and dist/swc/ (a case\'s own declaration) loads through Node\'s loader, never cached', () => {
    const main = write('decl.js', 'console.log(typeof require);\n');
    expect(run(main)).toStrictEqual({ status: 0, stdout: 'function\n', stderr: '' });
    expect(entries()).toStrictEqual([]);
  });

  test('a cached module sees what Node gives it: require, require.resolve(.paths), require.main, __filename, __dirname; a hashbang keeps its lines', () => {
    write('node_modules/dep/other.js', 'module.exports = 42;\n');
    const lib = write('dist/swc/lib/bin.js', [
      '#!/usr/bin/env node',
      'const other = require("dep/other");',
      'module.exports = { other, resolved: require.resolve("dep/other"), paths: require.resolve.paths("dep").includes(__dirname + "/node_modules"),',
      '  main: require.main === undefined ? "none" : require.main.filename, file: __filename, dir: __dirname, line: new Error().stack.split("\\n")[1].split(":").slice(-2)[0] };',
      '',
    ].join('\n'));
    const main = write('main.js', 'console.log(JSON.stringify(require("./dist/swc/lib/bin.js")));\n');
    const expected = { other: 42, resolved: join(dir, 'node_modules/dep/other.js'), paths: true, main, file: lib, dir: join(dir, 'dist/swc/lib'), line: '4' };
    for (let i = 0; i < 2; i++) expect(JSON.parse(run(main).stdout)).toStrictEqual(expected);
    expect(entries()).toHaveLength(2);
  });

  test('a module that uses import() is left to Node\'s loader', () => {
    write('node_modules/dep/index.js', 'module.exports = () => import("node:path").then((p) => p.sep);\n');
    const main = write('main.js', 'require("dep")().then((sep) => console.log(sep));\n');
    expect(run(main)).toStrictEqual({ status: 0, stdout: '/\n', stderr: '' });
    expect(entries()).toStrictEqual([]);
  });

  test('a cache that cannot be read or written (a file where its folder belongs) costs the cache only: the process runs and exits as without it', () => {
    write('node_modules/dep/index.js', 'exports.value = 1;\n');
    const main = write('main.js', 'process.exitCode = 3; console.log(require("dep").value);\n');
    writeFileSync(cache, '');
    expect(run(main)).toStrictEqual({ status: 3, stdout: '1\n', stderr: '' });
  });

  test('a process whose folder holds a package.json that is not JSON starts as without the cache (the preload is an import, not a require resolved from there)', () => {
    // (the entry in a package scope of its own, as the CLI's bin is: Node reads that one for it)
    write('package.json', '{ "broken": }');
    write('node_modules/dep/index.js', 'exports.value = 1;\n');
    write('dist/package.json', '{ "type": "commonjs" }');
    const main = write('dist/main.js', 'console.log(require("dep").value);\n');
    expect(run(main)).toStrictEqual({ status: 0, stdout: '1\n', stderr: '' });
  });
});
