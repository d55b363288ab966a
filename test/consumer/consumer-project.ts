import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Fresh projects that install the packed library, offline from the npm cache: `full` (cdktf and both
 * providers, every output) and `k8s-only` (neither: the manifests and docs). Each gets the fixture's
 * `package.<variant>.json` and `main.<variant>.ts` as its package.json and main.ts, beside the shared
 * declaration.ts and tsconfig.json.
 *
 * `npm ci` caches tarballs but not packuments, so `npm install --offline <name>` fails with
 * ENOTCACHED. The consumer's package-lock.json is therefore cut from the repository's own lock: the
 * closure of the packages it needs, plus the tarball as a `file:` dependency.
 *
 * provider-aws alone unpacks to ~390 MB, so the third-party dependencies are installed once per lock
 * into a cache (`~/.cache/homelab-secrets/consumer/<hash>/node_modules`, one per variant) and
 * hard-linked into each fresh project. The tarball itself is packed fresh once per run and installed
 * by `npm install` into each project.
 */

const REPO = join(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'fixture');
const TARBALL = 'homelab-secrets.tgz';

/** The two consumers: `full` installs cdktf and both providers, `k8s-only` none of them. */
export type ConsumerVariant = 'full' | 'k8s-only';

interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly inBundle?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly [field: string]: unknown;
}
type LockPackages = Record<string, LockEntry>;

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; never rejects, so callers assert on the exit code and output. */
export function run(cwd: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolvePromise) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

async function runOrThrow(cwd: string, command: string, args: readonly string[]): Promise<Run> {
  const result = await run(cwd, command, args, { npm_config_update_notifier: 'false' });
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.stderr}${result.stdout}`);
  return result;
}

const NPM_OFFLINE = ['--offline', '--ignore-scripts', '--no-audit', '--no-fund'];

/** Where `name` resolves from the lock entry at `from` (`''` is the project root), as Node would look. */
function resolveInLock(packages: LockPackages, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/**
 * The lock entries `roots` need, taken from the repository's lock with their integrity: every
 * dependency, required peer and (when the repository has it) optional dependency, and the
 * bundled dependencies shipped inside a tarball. The repository's dev/peer flags do not apply here.
 */
function lockClosure(packages: LockPackages, roots: readonly string[]): LockPackages {
  const picked = new Set<string>();
  const visit = (key: string): void => {
    if (picked.has(key)) return;
    picked.add(key);
    const entry = packages[key];
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    const required = [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n))];
    for (const name of required) {
      const found = resolveInLock(packages, key, name);
      if (!found) throw new Error(`${name}, needed by ${key}, is not in the repository's package-lock.json`);
      visit(found);
    }
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      const found = resolveInLock(packages, key, name);
      if (found) visit(found);
    }
    for (const bundled of Object.keys(packages).filter((k) => k.startsWith(`${key}/node_modules/`) && packages[k].inBundle)) visit(bundled);
  };
  for (const name of roots) {
    const found = resolveInLock(packages, '', name);
    if (!found) throw new Error(`${name} is not in the repository's package-lock.json`);
    visit(found);
  }
  return Object.fromEntries([...picked].sort().map((key) => {
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[key];
    return [key, entry];
  }));
}

function lockFile(root: Record<string, unknown>, packages: LockPackages): string {
  return `${JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: { '': root, ...packages } }, null, 2)}\n`;
}

/** The consumer's package.json (the variant's) and what the package under test depends on. */
function manifests(variant: ConsumerVariant): { consumer: Record<string, any>; library: Record<string, any> } {
  return {
    consumer: JSON.parse(readFileSync(join(FIXTURE, `package.${variant}.json`), 'utf8')),
    library: JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')),
  };
}

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'homelab-secrets', 'consumer');
}

/** A cached install unused for this long is pruned; other worktrees may still use a younger one. */
const CACHE_MAX_IDLE_MS = 24 * 60 * 60 * 1000;

/**
 * node_modules holding every third-party package of the consumer (not the library itself), installed
 * by `npm ci --offline` once per lock content, node and npm version (~440 MB for `full`, ~5 MB for `k8s-only`).
 */
async function dependencyCache(thirdParty: LockPackages, roots: readonly string[]): Promise<string> {
  const npmVersion = (await runOrThrow(REPO, 'npm', ['--version'])).stdout.trim();
  const rootEntry = { name: 'homelab-secrets-consumer-deps', version: '0.0.0', dependencies: Object.fromEntries(roots.map((name) => [name, thirdParty[`node_modules/${name}`].version!])) };
  const lock = lockFile(rootEntry, thirdParty);
  const hash = createHash('sha256').update(lock).update(process.version).update(npmVersion).digest('hex').slice(0, 16);
  const base = cacheRoot();
  const dir = join(base, hash);
  mkdirSync(base, { recursive: true });
  pruneCache(base, hash);
  if (existsSync(join(dir, 'node_modules'))) {
    writeFileSync(join(dir, 'last-used'), '');
    return join(dir, 'node_modules');
  }

  const staging = mkdtempSync(join(base, `.staging-${process.pid}-`));
  try {
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ ...rootEntry, private: true }, null, 2)}\n`);
    writeFileSync(join(staging, 'package-lock.json'), lock);
    await runOrThrow(staging, 'npm', ['ci', ...NPM_OFFLINE]);
    // The hidden lockfile is rewritten in place by later installs; hard links must not share it.
    rmSync(join(staging, 'node_modules', '.package-lock.json'), { force: true });
    writeFileSync(join(staging, 'last-used'), '');
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another test run finished the same install first; use that one.
      if (!existsSync(join(dir, 'node_modules'))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return join(dir, 'node_modules');
}

/** Removes installs idle for a day and staging folders of test runs that are gone. */
function pruneCache(base: string, keep: string): void {
  for (const name of readdirSync(base)) {
    const path = join(base, name);
    const pid = /^\.staging-(\d+)-/.exec(name)?.[1];
    const stale = pid
      ? !isAlive(Number(pid))
      : name !== keep && (!existsSync(join(path, 'last-used')) || Date.now() - statSync(join(path, 'last-used')).mtimeMs > CACHE_MAX_IDLE_MS);
    if (stale) rmSync(path, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Packs the library into `destination` (`prepack` builds dist/ first, so it holds the current code); returns the tarball. */
export async function packLibrary(destination: string): Promise<string> {
  const packed = await runOrThrow(REPO, 'npm', ['pack', '--silent', '--pack-destination', destination]);
  return join(destination, packed.stdout.trim().split('\n').pop()!);
}

/** A fresh temp project with the fixture, the packed tarball installed, and the fixture's dependencies. */
export interface ConsumerProject {
  readonly dir: string;
  remove(): void;
}

/**
 * A fresh project of `variant` that installs `tarball` (from {@link packLibrary}; a promise, so that a
 * cold dependency cache installs while the library is built and packed).
 */
export async function createConsumerProject(variant: ConsumerVariant, tarball: Promise<string>): Promise<ConsumerProject> {
  const { consumer, library } = manifests(variant);
  const packages: LockPackages = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')).packages;
  const consumerDeps = { ...consumer.dependencies, ...consumer.devDependencies } as Record<string, string>;
  const roots = [...new Set([...Object.keys(consumerDeps), ...Object.keys(library.dependencies)])].filter((n) => n !== library.name).sort();
  const thirdParty = lockClosure(packages, roots);

  const dir = mkdtempSync(join(tmpdir(), `homelab-secrets-consumer-${variant}-`));
  try {
    for (const file of ['declaration.ts', 'tsconfig.json']) cpSync(join(FIXTURE, file), join(dir, file));
    cpSync(join(FIXTURE, `package.${variant}.json`), join(dir, 'package.json'));
    cpSync(join(FIXTURE, `main.${variant}.ts`), join(dir, 'main.ts'));
    const [cached, packedPath] = await Promise.all([dependencyCache(thirdParty, roots), tarball]);
    cpSync(packedPath, join(dir, TARBALL));

    const packed = readFileSync(join(dir, TARBALL));
    const libraryEntry = {
      version: library.version,
      resolved: `file:${TARBALL}`,
      integrity: `sha512-${createHash('sha512').update(packed).digest('base64')}`,
      license: library.license,
      dependencies: library.dependencies,
      bin: library.bin,
      engines: library.engines,
      peerDependencies: library.peerDependencies,
      peerDependenciesMeta: library.peerDependenciesMeta,
    };
    const root = { name: consumer.name, version: consumer.version, dependencies: consumer.dependencies, devDependencies: consumer.devDependencies };
    writeFileSync(join(dir, 'package-lock.json'), lockFile(root, { ...thirdParty, [`node_modules/${library.name}`]: libraryEntry }));

    // Hard links: a few thousand links instead of copying ~440 MB. npm replaces files, never edits
    // them. Across filesystems (a cache outside the temp dir's), copy instead.
    const nodeModules = join(dir, 'node_modules');
    await runOrThrow(dir, 'cp', ['-al', cached, nodeModules]).catch(() => {
      rmSync(nodeModules, { recursive: true, force: true });
      return runOrThrow(dir, 'cp', ['-a', cached, nodeModules]);
    });
    // `npm install` (not `npm ci`, which would wipe node_modules) adds only what the lock has and
    // node_modules lacks: the tarball.
    await runOrThrow(dir, 'npm', ['install', ...NPM_OFFLINE]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What `du` reports for a folder: the disk space it takes and the size of its files, in bytes. */
export interface FolderSize {
  readonly onDisk: number;
  readonly apparent: number;
}

export async function folderSize(dir: string): Promise<FolderSize> {
  const [onDisk, apparent] = await Promise.all([['-sk'], ['-sb']].map(async (flags) => Number((await runOrThrow(dir, 'du', [...flags, '.'])).stdout.split('\t')[0])));
  return { onDisk: onDisk * 1024, apparent };
}
