// A case's isolated project: a copy of the library's sources and their swc build (hard links of one
// template made once per sweep), its own declaration module, outputs and files, run through the real
// entry points: `node scripts/synth.mjs apps/sweep` and the CLI's bin, as a user runs them.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Execution, Invocation } from './model';

const ROOT = join(__dirname, '..', '..');

/** What each project holds of the repository (hard links of the template), never part of a snapshot. */
export const MACHINERY = ['lib', 'imports', 'scripts', 'dist', 'node_modules', 'apps', 'package.json', 'bin'];

/** The synth entry every project has: its declaration module (decl.js), into the outputs a user's synth writes. */
const SWEEP_ENTRY = `// The sweep's synth entry: a user's own, over the project's declaration module, except that each
// part's renderer (cdk8s, cdktf: some 610 of the 640 modules a synth loads, two thirds of a refused
// synth's CPU) loads when the synth first asks the part for more than its name: after the declaration
// passed validation. A refused declaration never loads them; an accepted one runs the same part.
import { join } from 'node:path';
import { types } from 'node:util';
import { docsPart } from '../lib/docs';
import { type OutputPart, runSynthMain, synthOutputs } from '../lib/synth';

function deferred(name: string, target: string, kind: 'dir' | 'file', load: () => OutputPart): OutputPart {
  let loaded: OutputPart | undefined;
  const part = (): OutputPart => {
    if (loaded === undefined) {
      loaded = load();
      if (loaded.name !== name || loaded.target !== target || loaded.kind !== kind) throw new Error(\`sweep entry: the \${name} part is \${loaded.name} \${loaded.kind} \${loaded.target}\`);
    }
    return loaded;
  };
  return {
    name, target, kind,
    render: (declaration, staging) => part().render(declaration, staging),
    problems: (declaration, outputs) => part().problems?.(declaration, outputs) ?? [],
    owns: (path) => part().owns?.(path) ?? false,
    adopt: (previous, staging) => part().adopt?.(previous, staging),
  };
}

const loaded = require(join(process.cwd(), process.env.SWEEP_DECLARATION ?? 'decl.js'));
runSynthMain(() => {
  const exported = loaded.declaration ?? loaded.default;
  const declaration = typeof exported === 'function' ? exported() : exported;
  const out = process.env.SWEEP_OUT ?? '.';
  // (the settings are the case's, hostile too: a Proxy is not entered)
  const settings = declaration?.settings;
  const flux = typeof settings === 'object' && settings !== null && !types.isProxy(settings) && Object.getOwnPropertyDescriptor(settings, 'gitops')?.value === 'flux';
  const manifestsDir = join(out, flux ? 'clusters/my-cluster/secrets' : 'manifests');
  const manifests = deferred('manifests', manifestsDir, 'dir', () => {
    const lib: typeof import('../lib') = require('../lib');
    return flux ? lib.manifestsPart(manifestsDir) : lib.manifestsPart(manifestsDir, [lib.componentApplications()]);
  });
  const terraformDir = join(out, 'cdktf.out');
  const terraform = deferred('terraform', terraformDir, 'dir', () => (require('../lib/tf') as typeof import('../lib/tf')).terraformPart(terraformDir));
  synthOutputs(declaration, [manifests, terraform, docsPart(join(out, 'docs/secrets.md'))]);
});
`;

let codeCacheDir: string | undefined;

/** Makes every Node process the sweep starts load through V8's code cache in `dir` (code-cache.js). */
export function useCodeCache(dir: string): void {
  codeCacheDir = dir;
}

/** What a process needs to load through the sweep's code cache, if it has one (none of the caller's NODE_OPTIONS). */
export function codeCacheEnv(): Record<string, string> {
  return codeCacheDir === undefined ? {} : { NODE_OPTIONS: `--import=${join(__dirname, 'code-cache.js')}`, HOMELAB_SWEEP_CODE_CACHE: codeCacheDir };
}

/** The environment every process of the sweep starts from: no Vault, no CI settings of the caller's. */
export function cleanEnv(extra: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TERM'];
  const env: Record<string, string> = { CDK8S_CHECK_UPGRADE: 'false', CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', NO_COLOR: '1', ...codeCacheEnv() };
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  return mergedEnv(env, extra);
}

/**
 * Runs one process, collecting its output as text (lossless enough for classing: a byte that is not
 * UTF-8 shows as U+FFFD, which the sweep counts as garbled), with a timeout that kills it.
 */
export function execute(invocation: Invocation, cwd: string, baseEnv: Readonly<Record<string, string>>): Promise<Execution> {
  return new Promise((resolve) => {
    const [program, ...args] = invocation.argv;
    const child = spawn(program === 'node' ? process.execPath : program, args, {
      cwd: invocation.cwd === undefined ? cwd : isAbsolute(invocation.cwd) ? invocation.cwd : join(cwd, invocation.cwd),
      env: mergedEnv(baseEnv, invocation.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, invocation.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: 127, signal: null, stdout: '', stderr: `sweep: cannot start ${program}: ${error.message}`, timedOut: false });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
    child.stdin.end(invocation.stdin ?? '');
  });
}

/** `base` with `extra` set over it; a name `extra` sets to undefined is removed. */
function mergedEnv(base: Readonly<Record<string, string>>, extra: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** One entry of a snapshot: enough to tell a file rewritten in place, replaced, or left alone. */
export interface Entry {
  readonly type: 'file' | 'dir' | 'link' | 'other';
  readonly ino: number;
  readonly mtimeMs: number;
  readonly mode: number;
  readonly hash: string;
}
export type Snapshot = ReadonlyMap<string, Entry>;

/** Every entry under `root` except the machinery at its top: path → type, inode, mtime, mode and content hash. */
export function snapshotTree(root: string, skipTop: readonly string[] = MACHINERY): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const walk = (dir: string, prefix: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (prefix === '' && skipTop.includes(name)) continue;
      const full = join(dir, name);
      const rel = prefix + name;
      const stat = lstatSync(full);
      const type = stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
      let hash = '';
      if (type === 'file') {
        try {
          hash = createHash('sha1').update(readFileSync(full)).digest('hex');
        } catch {
          hash = 'unreadable';
        }
      } else if (type === 'link') {
        hash = `-> ${readlinkSync(full)}`;
      }
      entries.set(rel, { type, ino: stat.ino, mtimeMs: stat.mtimeMs, mode: stat.mode, hash });
      if (type === 'dir') walk(full, `${rel}/`);
    }
  };
  walk(root, '');
  return entries;
}

/** What differs between two snapshots: entries changed (content, inode, mtime, mode or type), gone, added. */
export interface TreeDiff {
  readonly changed: string[];
  readonly gone: string[];
  readonly added: string[];
}

export function diffTrees(before: Snapshot, after: Snapshot): TreeDiff {
  const changed: string[] = [];
  const gone: string[] = [];
  const added: string[] = [];
  for (const [path, entry] of before) {
    const now = after.get(path);
    if (now === undefined) gone.push(path);
    else if (now.type !== entry.type || now.hash !== entry.hash || now.ino !== entry.ino || (entry.type !== 'dir' && now.mtimeMs !== entry.mtimeMs) || now.mode !== entry.mode) changed.push(path);
  }
  for (const path of after.keys()) if (!before.has(path)) added.push(path);
  return { changed, gone, added };
}

/** The files of a tree with their contents, folders and records left out: to compare outputs. */
export function contentsOf(root: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, entry] of snapshotTree(root, [])) if (entry.type !== 'dir' && !skip(rel)) out[rel] = entry.hash;
  return out;
}

/** The template every project is made of: the sources, their swc build, node_modules by link. */
export class Template {
  public readonly dir: string;
  constructor(public readonly root: string) {
    this.dir = join(root, 'template');
  }

  /** Copies the sources and runs the synth loop once, so that every project starts transpiled. */
  public prepare(): void {
    mkdirSync(this.dir, { recursive: true });
    for (const dir of ['lib', 'imports']) cpSync(join(ROOT, dir), join(this.dir, dir), { recursive: true, preserveTimestamps: true });
    mkdirSync(join(this.dir, 'scripts'));
    cpSync(join(ROOT, 'scripts', 'synth.mjs'), join(this.dir, 'scripts', 'synth.mjs'));
    symlinkSync(join(ROOT, 'node_modules'), join(this.dir, 'node_modules'));
    mkdirSync(join(this.dir, 'apps'));
    writeFileSync(join(this.dir, 'apps', 'sweep.ts'), SWEEP_ENTRY);
    writeFileSync(join(this.dir, 'package.json'), `${JSON.stringify({ name: 'sweep-project', private: true, homelabSecrets: { declaration: 'decl.js' } }, null, 2)}\n`);
    // The library's own package scope, as node_modules/homelab-secrets has one: Node reads it, not the project's, to run the bin.
    mkdirSync(join(this.dir, 'dist'));
    writeFileSync(join(this.dir, 'dist', 'package.json'), `${JSON.stringify({ name: 'homelab-secrets', private: true, type: 'commonjs' }, null, 2)}\n`);
    // The first synth transpiles everything; without a declaration module it stops at once.
    const first = spawnSync(process.execPath, ['scripts/synth.mjs', 'apps/sweep'], { cwd: this.dir, encoding: 'utf8' });
    if (!existsSync(join(this.dir, 'dist', 'swc', 'lib', 'cli', 'bin.js'))) {
      throw new Error(`the template's synth loop did not transpile the library: ${first.stderr}`);
    }
  }

  /** A new project made of the template: hard links of its files (cp -al), so a project costs little. */
  public project(name: string): Project {
    const caseDir = join(this.root, name);
    const dir = join(caseDir, 'project');
    mkdirSync(dir, { recursive: true });
    const copy = spawnSync('cp', ['-al', ...['lib', 'imports', 'scripts', 'dist', 'apps', 'package.json'].map((e) => join(this.dir, e)), dir]);
    if (copy.status !== 0) throw new Error(`cp -al failed: ${copy.stderr}`);
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    return new Project(caseDir, dir);
  }
}

/** One case's project folder (`dir`) and a folder beside it (`aux`) for stand-ins and logs, outside every snapshot. */
export class Project {
  public readonly aux: string;
  constructor(public readonly caseDir: string, public readonly dir: string) {
    this.aux = join(caseDir, 'aux');
    mkdirSync(this.aux, { recursive: true });
  }

  public path(rel: string): string {
    return isAbsolute(rel) ? rel : join(this.dir, rel);
  }

  public write(rel: string, content: string | Buffer, mode?: number): string {
    const file = this.path(rel);
    mkdirSync(dirname(file), { recursive: true });
    // A new file, never the template's through a hard link (package.json, decl.js).
    rmSync(file, { force: true });
    writeFileSync(file, content);
    if (mode !== undefined) chmodSync(file, mode);
    return file;
  }

  public mkdir(rel: string): string {
    const dir = this.path(rel);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  public symlink(target: string, rel: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    symlinkSync(target, this.path(rel));
  }

  public read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }

  public exists(rel: string): boolean {
    try {
      lstatSync(this.path(rel));
      return true;
    } catch {
      return false;
    }
  }

  public remove(rel: string): void {
    rmSync(this.path(rel), { recursive: true, force: true });
  }

  /**
   * Writes the declaration module `decl.js` (CommonJS, as a build leaves it): `body` is the body of
   * the exported function, with the library's exports in scope (`SecretCatalog`, `external`, ...) and
   * `SETTINGS`, small valid settings.
   */
  public declaration(body: string, file = 'decl.js'): void {
    this.write(file, declarationModule(body));
  }

  /** `node scripts/synth.mjs apps/sweep`, the user's synth. */
  public synth(options: Omit<Invocation, 'argv'> = {}): Invocation {
    return { ...options, argv: ['node', 'scripts/synth.mjs', 'apps/sweep'] };
  }

  /** The CLI's bin over the project's declaration (package.json names decl.js). */
  public cli(args: readonly string[], options: Omit<Invocation, 'argv'> = {}): Invocation {
    return { ...options, argv: ['node', this.path('dist/swc/lib/cli/bin.js'), ...args] };
  }

  /** A stand-in program on PATH that records its argv (NUL-separated) and stdin in aux/, then exits `exit`. */
  public standIn(name: string, exit = 0, stderr = ''): void {
    const log = join(this.aux, name);
    this.write(join('bin', name), [
      '#!/bin/sh',
      `printf '%s\\0' "$@" > '${log}.argv'`,
      `cat > '${log}.stdin'`,
      ...(stderr === '' ? [] : [`printf '%s\\n' '${stderr.replace(/'/g, `'\\''`)}' >&2`]),
      `exit ${exit}`,
      '',
    ].join('\n'), 0o755);
  }

  /** What a stand-in recorded: its argv and stdin, or undefined when it did not run. */
  public standInRun(name: string): { argv: string[]; stdin: Buffer } | undefined {
    const log = join(this.aux, name);
    if (!existsSync(`${log}.argv`)) return undefined;
    const argv = readFileSync(`${log}.argv`, 'utf8').split('\0');
    argv.pop();
    return { argv, stdin: readFileSync(`${log}.stdin`) };
  }

  /** PATH with the project's stand-ins first. */
  public pathWithStandIns(): string {
    return `${this.path('bin')}:${process.env.PATH ?? ''}`;
  }
}

/** Small valid settings, what most cases declare. */
export const SETTINGS = "{ kms: { region: 'us-east-1' }, vault: { storageClass: 'local-path', storageSize: '5Gi' } }";

/**
 * A declaration module over the library's catalog, as the reference homelab's (apps/homelab.ts imports
 * `../lib/catalog`): not the main entry, which loads cdk8s for its constructs before a refusal.
 */
export function declarationModule(body: string): string {
  return [
    "'use strict';",
    "const lib = require('./dist/swc/lib/catalog');",
    'const { SecretCatalog, external, generated } = lib;',
    `const SETTINGS = ${SETTINGS};`,
    'function declaration() {',
    body,
    '}',
    'exports.declaration = declaration;',
    '',
  ].join('\n');
}
