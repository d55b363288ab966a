import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { type PeerDependency } from '../lib/synth';
import { TERRAFORM_PEERS } from '../lib/tf/peers';
import { WORKLOADS_PEER } from '../lib/workloads/require-cdk8s-plus';

/**
 * cdktf, its two providers and cdk8s-plus-27 are optional peer dependencies: `homelab-secrets` and
 * `homelab-secrets/cli` load none of them, `homelab-secrets/tf` needs cdktf to load and each provider
 * only for the stack that uses it, and a missing one is one line naming it and its `npm install`.
 * The runtime cases run in child processes where those packages cannot be resolved, as in a project
 * that did not install them (test/support/unresolvable.js); test/consumer/ proves the same on real installs.
 */
const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const OPTIONAL: readonly PeerDependency[] = [...Object.values(TERRAFORM_PEERS), WORKLOADS_PEER];
const HEAVY = ['cdktf', '@cdktf/provider-aws', '@cdktf/provider-vault', 'cdk8s-plus-27'];

/** `^x.y.z` as npm reads it: at least x.y.z, below the next major (the next minor for 0.y). */
function satisfiesCaret(version: string, range: string): boolean {
  const [v, r] = [version, range.replace(/^\^/, '')].map((s) => s.split('.').map(Number));
  if (!range.startsWith('^') || v.length !== 3 || r.length !== 3 || [...v, ...r].some(Number.isNaN)) return false;
  const sameLine = r[0] === 0 ? v[0] === 0 && v[1] === r[1] : v[0] === r[0];
  const atLeast = v[0] !== r[0] ? v[0] > r[0] : v[1] !== r[1] ? v[1] > r[1] : v[2] >= r[2];
  return sameLine && atLeast;
}

describe('package.json', () => {
  test('declares cdktf, both providers and cdk8s-plus-27 as optional peers, with the ranges the code names in its messages', () => {
    expect(Object.fromEntries(OPTIONAL.map((peer) => [peer.name, pkg.peerDependencies[peer.name]])))
      .toStrictEqual(Object.fromEntries(OPTIONAL.map((peer) => [peer.name, peer.range])));
    expect(Object.keys(pkg.peerDependenciesMeta).sort()).toStrictEqual(OPTIONAL.map((peer) => peer.name).sort());
    for (const peer of OPTIONAL) expect(pkg.peerDependenciesMeta[peer.name]).toStrictEqual({ optional: true });
    // What every entry point needs stays a required peer; the library's own dependencies are small.
    expect(Object.keys(pkg.peerDependencies).filter((name) => !pkg.peerDependenciesMeta[name])).toStrictEqual(['cdk8s', 'constructs']);
    expect(Object.keys(pkg.dependencies)).toStrictEqual(['commander', 'yaml']);
  });

  test('keeps each optional peer as a pinned dev dependency, and the Terraform peers\' ranges start at the release tested', () => {
    for (const peer of OPTIONAL) {
      expect({ peer: peer.name, tested: pkg.devDependencies[peer.name], satisfies: satisfiesCaret(pkg.devDependencies[peer.name], peer.range) })
        .toStrictEqual({ peer: peer.name, tested: expect.stringMatching(/^\d+\.\d+\.\d+$/), satisfies: true });
    }
    for (const peer of Object.values(TERRAFORM_PEERS)) expect(peer.range).toBe(`^${pkg.devDependencies[peer.name]}`);
    expect(satisfiesCaret('0.21.9', '^0.21.0')).toBe(true);
    expect(satisfiesCaret('0.22.0', '^0.21.0')).toBe(false);
    expect(satisfiesCaret('21.22.0', '^21.22.1')).toBe(false);
    expect(satisfiesCaret('22.0.0', '^21.22.1')).toBe(false);
  });
});

/** The .ts file a relative specifier of `from` names. */
function resolveSource(from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`${relative(ROOT, from)}: cannot resolve ${specifier}`);
}

/** Every package that loading `entries` loads, following value imports (not `import type`) through the sources. */
function packagesReachedFrom(entries: readonly string[]): Record<string, string> {
  const seen = new Set<string>();
  const reached: Record<string, string> = {};
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...[...text.matchAll(/^(import|export)(?!\s+type\b)\b[^;'"]*?from\s+'([^']+)'/gms)].map((m) => m[2]),
      ...[...text.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]),
      ...[...text.matchAll(/\brequire\('([^']+)'\)/g)].map((m) => m[1]),
    ];
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(resolveSource(file, specifier));
      else if (!specifier.startsWith('node:')) reached[/^(@[^/]+\/)?[^/]+/.exec(specifier)![0]] ??= relative(ROOT, file);
    }
  };
  for (const entry of entries) visit(join(ROOT, entry));
  return reached;
}

describe('what each entry point\'s sources import', () => {
  test('`homelab-secrets` and `homelab-secrets/cli` (with its bin) reach cdk8s, constructs, commander and yaml only', () => {
    expect(Object.keys(packagesReachedFrom(['lib/index.ts'])).sort()).toStrictEqual(['cdk8s', 'constructs', 'yaml']);
    expect(Object.keys(packagesReachedFrom(['lib/cli/index.ts', 'lib/cli/bin.ts'])).sort()).toStrictEqual(['commander', 'yaml']);
  });

  test('`homelab-secrets/tf` imports the providers\' values in providers.ts only, one resource module at a time', () => {
    const reached = packagesReachedFrom(['lib/tf/index.ts']);
    expect(Object.keys(reached).sort()).toStrictEqual(['@cdktf/provider-aws', '@cdktf/provider-vault', 'cdktf', 'constructs']);
    expect([reached['@cdktf/provider-aws'], reached['@cdktf/provider-vault']]).toStrictEqual(['lib/tf/providers.ts', 'lib/tf/providers.ts']);
  });

  test('the import walk sees through `import type`, and would report a value import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-imports-'));
    writeFileSync(join(dir, 'a.ts'), "import type { App } from 'cdktf';\nimport { b } from './b';\nexport type { X } from 'cdk8s-plus-27';\n");
    writeFileSync(join(dir, 'b.ts'), "import {\n  type TerraformStack,\n  Testing,\n} from 'cdktf';\nexport const b = 1;\n");
    const reached = packagesReachedFrom([relative(ROOT, join(dir, 'a.ts'))]);
    rmSync(dir, { recursive: true, force: true });
    expect(Object.keys(reached)).toStrictEqual(['cdktf']);
  });
});

interface Child {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs node over the TypeScript sources (as jest does) with the `unresolvable` packages not installed. */
function node(unresolvable: readonly string[], argv: readonly string[], env: Record<string, string> = {}): Promise<Child> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, ['-r', join(ROOT, 'test/support/swc-register.js'), '-r', join(ROOT, 'test/support/unresolvable.js'), ...argv], {
      cwd: ROOT,
      env: { ...process.env, ...env, HOMELAB_SECRETS_UNRESOLVABLE: unresolvable.join(',') },
    }, (error, stdout, stderr) => resolvePromise({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}

/** Runs `script`, which sees `lib(path)`, `loaded()` (the packages in require.cache), `attempt(fn)` and `blockedRequests()`. */
function script(unresolvable: readonly string[], lines: readonly string[]): Promise<Child> {
  const prelude = [
    `const lib = (path) => require(${JSON.stringify(ROOT)} + '/' + path);`,
    "const loaded = () => [...new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter((n) => n && !n.startsWith('@swc/')))].sort();",
    'const attempt = (fn) => { try { fn(); return "loaded"; } catch (error) { return `${error.name}: ${error.message}`; } };',
  ];
  return node(unresolvable, ['-e', [...prelude, ...lines].join('\n')]);
}

const AWS = "'@cdktf/provider-aws@^21.22.1'";
const VAULT = "'@cdktf/provider-vault@^15.6.1'";
const ALL_TF_MISSING = 'homelab-secrets/tf needs cdktf (for every Terraform stack), @cdktf/provider-vault (for the Vault stack) and '
  + `@cdktf/provider-aws (for the KMS unseal stack), which are not installed: npm install 'cdktf@^0.21.0' ${VAULT} ${AWS}`;

describe('in a project without the optional peers', () => {
  let dir: string;
  let k8sOnly: Promise<Child>;
  let bin: Promise<Child>;
  let noAws: Promise<Child>;
  let noProviders: Promise<Child>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-peers-'));
    // A declaration module that imports homelab-secrets/tf, as a project's synth entry might.
    writeFileSync(join(dir, 'declaration.js'), [
      `require(${JSON.stringify(join(ROOT, 'lib/tf/index.ts'))});`,
      `exports.declaration = require(${JSON.stringify(join(ROOT, 'test/support/fixtures.ts'))}).fixtureDeclaration;`,
    ].join('\n'));
    const synth = (out: string, kms: boolean): string => [
      '{',
      "const { runSynthMain, synthOutputs } = lib('lib/synth/index.ts');",
      "const { terraformPart } = lib('lib/tf/index.ts');",
      "const { fixtureDeclaration, fixtureCatalog, FIXTURE_SETTINGS } = lib('test/support/fixtures.ts');",
      `const settings = ${kms ? 'FIXTURE_SETTINGS' : '{ ...FIXTURE_SETTINGS, kms: undefined }'};`,
      `runSynthMain(() => synthOutputs(fixtureDeclaration(fixtureCatalog(), settings), [terraformPart(${JSON.stringify(join(dir, out))})]));`,
      '}',
    ].join('\n');
    // The children run side by side; each test awaits its own.
    k8sOnly = script(HEAVY, [
      "for (const entry of ['lib/index.ts', 'lib/cli/index.ts', 'lib/cli/bin.ts']) lib(entry);",
      'const afterMainAndCli = { loaded: loaded(), blocked: blockedRequests() };',
      "const tf = attempt(() => lib('lib/tf/index.ts'));",
      "const workloads = attempt(() => lib('lib/workloads/index.ts'));",
      'console.log(JSON.stringify({ afterMainAndCli, tf, workloads }));',
    ]);
    bin = node(HEAVY, [join(ROOT, 'lib/cli/bin.ts'), 'table'], { HOMELAB_SECRETS_DECLARATION: join(dir, 'declaration.js') });
    noAws = script(['@cdktf/provider-aws'], [
      synth('vault-only', false),
      'console.log(JSON.stringify({ loaded: loaded(), blocked: blockedRequests() }));',
      synth('with-kms', true),
    ]);
    noProviders = script(['@cdktf/provider-aws', '@cdktf/provider-vault'], [
      "const { EsoReadPolicy } = lib('lib/tf/index.ts');",
      "const { App, TerraformStack } = require('cdktf');",
      "console.log(attempt(() => new EsoReadPolicy(new TerraformStack(new App(), 'vault'), 'Policy', { mount: 'kv', paths: ['apps/db'] })));",
      synth('both', true),
    ]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('`homelab-secrets` and `homelab-secrets/cli` load without cdktf, the providers and cdk8s-plus-27, and never ask for them', async () => {
    const result = await k8sOnly;
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).afterMainAndCli).toStrictEqual({ loaded: ['cdk8s', 'commander', 'constructs', 'yaml'], blocked: [] });
  });

  test('importing `homelab-secrets/tf` without cdktf fails with one line naming every missing Terraform package and its npm install', async () => {
    expect(JSON.parse((await k8sOnly).stdout).tf).toBe(`MissingPeerError: ${ALL_TF_MISSING}`);
  });

  test('importing `homelab-secrets/workloads` without cdk8s-plus-27 fails with one line', async () => {
    expect(JSON.parse((await k8sOnly).stdout).workloads)
      .toBe("MissingPeerError: homelab-secrets/workloads needs cdk8s-plus-27 (for wireSecret), which is not installed: npm install 'cdk8s-plus-27@^2.9.0'");
  });

  test('the CLI prints it like a user error when the declaration module imports `homelab-secrets/tf`', async () => {
    expect(await bin).toStrictEqual({ code: 2, stdout: '', stderr: `homelab-secrets: ${ALL_TF_MISSING}\n` });
  });

  test('without @cdktf/provider-aws, a declaration without KMS synthesizes its Vault stack and never asks for the aws provider', async () => {
    const result = await noAws;
    const [firstLine] = result.stdout.split('\n');
    expect(JSON.parse(firstLine)).toStrictEqual({ loaded: ['@cdktf/provider-vault', 'cdktf', 'constructs'], blocked: [] });
    expect(readdirSync(join(dir, 'vault-only', 'stacks'))).toStrictEqual(['vault']);
  });

  test('without @cdktf/provider-aws, the synth of the KMS stack prints one line through runSynthMain, exits 1 and writes nothing', async () => {
    const result = await noAws;
    expect([result.code, result.stderr]).toStrictEqual([1, [
      `homelab-secrets: homelab-secrets/tf needs @cdktf/provider-aws (for the KMS unseal stack), which is not installed: npm install ${AWS}`,
      'Nothing was written.',
      '',
    ].join('\n')]);
    expect(existsSync(join(dir, 'with-kms'))).toBe(false);
  });

  test('without either provider, a Vault construct names the vault provider, and the synth names both in one line', async () => {
    const result = await noProviders;
    expect(result.stdout).toBe(`MissingPeerError: homelab-secrets/tf needs @cdktf/provider-vault (for the Vault stack), which is not installed: npm install ${VAULT}\n`);
    expect([result.code, result.stderr]).toStrictEqual([1, [
      'homelab-secrets: homelab-secrets/tf needs @cdktf/provider-vault (for the Vault stack) and @cdktf/provider-aws (for the KMS unseal stack), '
        + `which are not installed: npm install ${VAULT} ${AWS}`,
      'Nothing was written.',
      '',
    ].join('\n')]);
    expect(existsSync(join(dir, 'both'))).toBe(false);
  });
});
