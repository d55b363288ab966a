import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import YAML from 'yaml';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { readTree } from '../support/synth';
import { ConsumerProject, ConsumerVariant, FolderSize, Run, createConsumerProject, folderSize, packLibrary, run } from './consumer-project';

/**
 * GIVEN two fresh projects that install the packed library offline and declare the same small catalog
 * of their own (test/consumer/fixture/declaration.ts): `full`, with cdktf and both providers, and
 * `k8s-only`, with neither (cdktf and the providers are optional peers). WHEN each is type-checked with
 * tsc against the package's .d.ts and run with node, THEN each synthesizes its outputs through the
 * public entry points only: the full one manifests, Terraform and docs; the k8s-only one the same
 * manifests and docs, and its `homelab-secrets/tf` says in one line what to install.
 */

const VARIANTS: readonly ConsumerVariant[] = ['full', 'k8s-only'];
const TSC = require.resolve('typescript/bin/tsc');
const DEEP_IMPORTS = ['homelab-secrets/dist/lib/catalog', 'homelab-secrets/dist/lib/tf/index.js', 'homelab-secrets/lib/synth/terraform-part'];
// The packages whose modules a fresh node process loaded after requiring an entry point.
const LOADED = "require(process.argv[1]); console.log(JSON.stringify([...new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean))].sort()))";
const ATTEMPT = 'try { require(process.argv[1]); console.log("loaded"); } catch (error) { console.log(`${error.name}: ${error.message}`); }';

interface Consumer {
  readonly project: ConsumerProject;
  readonly installed: string[];
  readonly size: FolderSize;
  readonly compile: Run;
  readonly synth: Run;
  readonly tree: Record<string, string>;
  readonly loaded: Record<'main' | 'cli' | 'tf' | 'workloads', Run>;
}

let packDir: string;
const consumers: Partial<Record<ConsumerVariant, Consumer>> = {};
let bin: Run;
let uncaughtTf: Run;
let deepImports: Record<string, Run>;
let imported: Run;

async function prepare(variant: ConsumerVariant, tarball: Promise<string>): Promise<Consumer> {
  const project = await createConsumerProject(variant, tarball);
  const node = (...args: string[]): Promise<Run> => run(project.dir, process.execPath, args);
  // The type check and the run go side by side: the run uses the fixture transpiled without types.
  const compiling = node(TSC, '-p', '.', '--noEmit');
  mkdirSync(join(project.dir, 'dist'), { recursive: true });
  for (const file of ['main.ts', 'declaration.ts']) {
    const js = transformSync(readFileSync(join(project.dir, file), 'utf8'), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
    }).code;
    writeFileSync(join(project.dir, 'dist', file.replace(/\.ts$/, '.js')), js);
  }
  const [compile, synth, size, main, cli, tf, workloads] = await Promise.all([
    compiling,
    node('dist/main.js'),
    folderSize(join(project.dir, 'node_modules')),
    node('-e', LOADED, 'homelab-secrets'),
    node('-e', LOADED, 'homelab-secrets/cli'),
    variant === 'full' ? node('-e', LOADED, 'homelab-secrets/tf') : node('-e', ATTEMPT, 'homelab-secrets/tf'),
    node('-e', ATTEMPT, 'homelab-secrets/workloads'),
  ]);
  const installed = readdirSync(join(project.dir, 'node_modules')).flatMap((name) =>
    name.startsWith('@') ? readdirSync(join(project.dir, 'node_modules', name)).map((scoped) => `${name}/${scoped}`) : [name]);
  const tree = synth.code === 0 ? readTree(join(project.dir, 'out'), true) : {};
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  process.stderr.write(`consumer ${variant}: node_modules ${mib(size.onDisk)} on disk (du -sk), ${mib(size.apparent)} of files (du -sb); `
    + `${installed.filter((n) => !n.startsWith('.')).length} packages at the top level\n`);
  return { project, installed, size, compile, synth, tree, loaded: { main, cli, tf, workloads } };
}

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'homelab-secrets-pack-'));
  const tarball = packLibrary(packDir);
  // The schemas take ~1 s to compile; do it while npm packs and installs in other processes.
  for (const [apiVersion, kind] of [['external-secrets.io/v1', 'ExternalSecret'], ['external-secrets.io/v1', 'ClusterSecretStore'], ['argoproj.io/v1alpha1', 'Application']]) {
    crdSchemaErrors({ apiVersion, kind });
  }
  await Promise.all(VARIANTS.map(async (variant) => (consumers[variant] = await prepare(variant, tarball))));
  const k8sOnly = consumers['k8s-only']!.project.dir;
  // The package's bin, as an operator runs it in the k8s-only project: npx finds it in node_modules/.bin.
  const [table, importRun, uncaught, ...deep] = await Promise.all([
    run(k8sOnly, 'npx', ['homelab-secrets', 'table'], { npm_config_offline: 'true', npm_config_update_notifier: 'false' }),
    // import --verify in the full project, which has no TypeScript: the module's JavaScript twin is loaded.
    run(consumers.full!.project.dir, 'npx', ['homelab-secrets', 'import', 'out/manifests', '--verify', '--out', 'imported.ts'],
      { npm_config_offline: 'true', npm_config_update_notifier: 'false' }),
    run(k8sOnly, process.execPath, ['-e', "require('homelab-secrets/tf')"]),
    ...DEEP_IMPORTS.map((specifier) => run(k8sOnly, process.execPath, ['-e', `require(${JSON.stringify(specifier)})`])),
  ]);
  bin = table;
  imported = importRun;
  uncaughtTf = uncaught;
  deepImports = Object.fromEntries(DEEP_IMPORTS.map((specifier, index) => [specifier, deep[index]]));
}, 600_000);

afterAll(() => {
  for (const consumer of Object.values(consumers)) consumer?.project.remove();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

const consumer = (variant: ConsumerVariant): Consumer => consumers[variant]!;

const manifestObjects = (variant: ConsumerVariant): any[] => Object.entries(consumer(variant).tree)
  .filter(([file]) => file.startsWith('manifests/') && file.endsWith('.yaml'))
  .flatMap(([, content]) => YAML.parseAllDocuments(content).map((d) => d.toJSON()));

const terraformStack = (stack: string): any => JSON.parse(consumer('full').tree[`terraform/stacks/${stack}/cdk.tf.json`]);

// The packages whose modules a fresh node process loaded after requiring the entry point.
const loadedBy = (variant: ConsumerVariant, entry: 'main' | 'cli' | 'tf'): string[] => {
  const result = consumer(variant).loaded[entry];
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
};
const heavy = (names: string[]): string[] => names.filter((n) => n === 'cdktf' || n.startsWith('@cdktf/') || n === 'cdk8s-plus-27');

describe.each(VARIANTS)('the %s consumer project', (variant) => {
  test('compiles with tsc (strict, node16 resolution through `exports`) against the package\'s .d.ts', () => {
    expect(consumer(variant).compile).toStrictEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('every manifest object is valid against the vendored CRD schemas and already holds their defaults', () => {
    const objects = manifestObjects(variant);
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toStrictEqual([
      'Application external-secrets',
      'Application reloader',
      'Application vault',
      'ClusterSecretStore vault-backend',
      'ExternalSecret app-database-url',
      'ExternalSecret grafana-env',
      'ExternalSecret mqtt-auth',
      'ExternalSecret postgres-login',
      'ExternalSecret registry-pull',
    ]);
    for (const object of objects) {
      expect({ object: object.metadata.name, errors: crdSchemaErrors(object) }).toStrictEqual({ object: object.metadata.name, errors: [] });
      expect(withCrdDefaults(object)).toStrictEqual(object);
    }
  });

  test('`homelab-secrets` loads neither cdktf, its providers nor cdk8s-plus-27; `./cli` loads no cdktf, and no yaml until an import reads YAML', () => {
    const main = loadedBy(variant, 'main');
    expect(main).toContain('homelab-secrets');
    expect(heavy(main)).toStrictEqual([]);
    const cli = loadedBy(variant, 'cli');
    expect(cli).toContain('homelab-secrets');
    expect(heavy(cli)).toStrictEqual([]);
    expect(cli).not.toContain('yaml');
  });

  test('`homelab-secrets/workloads` is exported; cdk8s-plus-27 is an optional peer this project did not install: one line says so', () => {
    expect(consumer(variant).loaded.workloads).toStrictEqual({
      code: 0,
      stdout: "MissingPeerError: homelab-secrets/workloads needs cdk8s-plus-27 (for wireSecret), which is not installed: npm install 'cdk8s-plus-27@^2.9.0'\n",
      stderr: '',
    });
  });
});

describe('the full consumer project (cdktf and both providers installed)', () => {
  test('synthesizes its manifests, Terraform and docs, and nothing else', () => {
    expect(consumer('full').synth).toStrictEqual({ code: 0, stdout: '', stderr: '' });
    expect(Object.keys(consumer('full').tree).sort()).toStrictEqual([
      '.SECRETS.md.homelab-secrets-synth',
      'SECRETS.md',
      'manifests/.homelab-secrets-synth',
      'manifests/argocd-applications.yaml',
      'manifests/cluster-secret-store.yaml',
      'manifests/externalsecrets-data.yaml',
      'manifests/externalsecrets-iot.yaml',
      'manifests/externalsecrets-observability.yaml',
      'terraform/.homelab-secrets-synth',
      'terraform/manifest.json',
      'terraform/stacks/kms-unseal/cdk.tf.json',
      'terraform/stacks/vault/cdk.tf.json',
    ]);
  });

  test('its output is byte for byte what it was while the providers were dependencies', () => {
    // The snapshot was taken from the consumer of the package before cdktf and the providers became optional peers;
    // since then only the synth's records of its files (`.homelab-secrets-synth`) and the Vault chart's
    // fullnameOverride (its objects named after the release) were added to it.
    expect(consumer('full').tree).toMatchSnapshot();
  });

  test('the store reads the consumer\'s mount and admits exactly its namespaces', () => {
    const [store] = manifestObjects('full').filter((o) => o.kind === 'ClusterSecretStore');
    expect(store.spec.provider.vault.path).toBe('lab-kv');
    expect(store.spec.conditions).toStrictEqual([{ namespaces: ['data', 'iot', 'observability'] }]);
  });

  test('the ExternalSecrets name the consumer\'s paths, keys, renames, policies, template and extract', () => {
    const specs = Object.fromEntries(manifestObjects('full').filter((o) => o.kind === 'ExternalSecret').map((o) => [
      `${o.metadata.namespace}/${o.metadata.name}`,
      { data: o.spec.data, dataFrom: o.spec.dataFrom, creationPolicy: o.spec.target.creationPolicy, type: o.spec.target.template.type, templateData: o.spec.target.template.data },
    ]));
    const ref = (key: string, property: string, secretKey = property) => ({ secretKey, remoteRef: expect.objectContaining({ key, property }) });
    expect(specs).toStrictEqual({
      'data/postgres-login': {
        data: [ref('services/postgres', 'username'), ref('services/postgres', 'password')],
        dataFrom: undefined,
        creationPolicy: 'Owner',
        type: undefined,
        templateData: undefined,
      },
      'data/app-database-url': {
        data: [ref('services/postgres', 'username'), ref('services/postgres', 'password')],
        dataFrom: undefined,
        creationPolicy: 'Owner',
        type: undefined,
        templateData: { DATABASE_URL: 'postgres://{{ .username }}:{{ .password }}@postgres.data.svc:5432/app' },
      },
      'iot/mqtt-auth': {
        data: [ref('services/mqtt', 'MQTT_PASSWORD', 'password')],
        dataFrom: undefined,
        creationPolicy: 'Owner',
        type: undefined,
        templateData: undefined,
      },
      'iot/registry-pull': {
        data: undefined,
        dataFrom: [{ extract: expect.objectContaining({ key: 'platform/registry' }) }],
        creationPolicy: 'Owner',
        type: 'kubernetes.io/dockerconfigjson',
        templateData: undefined,
      },
      'observability/grafana-env': {
        data: [ref('platform/grafana-oidc', 'client-secret')],
        dataFrom: undefined,
        creationPolicy: 'Merge',
        type: undefined,
        templateData: undefined,
      },
    });
  });

  test('the Argo CD Applications carry the consumer\'s project, namespace and Vault settings', () => {
    const applications = manifestObjects('full').filter((o) => o.kind === 'Application');
    expect(applications.map((a) => [a.metadata.name, a.metadata.namespace, a.spec.project])).toStrictEqual([
      ['vault', 'gitops', 'lab'],
      ['external-secrets', 'gitops', 'lab'],
      ['reloader', 'gitops', 'lab'],
    ]);
    const vaultValues = applications[0].spec.source.helm.valuesObject;
    expect(vaultValues.server.dataStorage).toStrictEqual(expect.objectContaining({ storageClass: 'local-path', size: '5Gi' }));
    expect(vaultValues.server.standalone.config).toContain('kms_key_id = "alias/lab-unseal"');
    expect(vaultValues.server.standalone.config).toContain('region     = "us-east-2"');
  });

  test('the Vault stack mounts the consumer\'s KV v2 and grants ESO read on exactly its paths', () => {
    const vault = terraformStack('vault');
    expect(Object.values(vault.resource.vault_mount).map((m: any) => [m.path, m.type])).toStrictEqual([['lab-kv', 'kv-v2']]);
    expect(Object.values(vault.resource.vault_kv_secret_backend_v2).map((b: any) => b.max_versions)).toStrictEqual([5]);
    const policies = Object.fromEntries(Object.values(vault.resource.vault_policy).map((p: any) => [p.name, p.policy]));
    expect(Object.keys(policies)).toStrictEqual(['lab-kv-eso-read', 'lab-kv-operator']);
    const grants = (policy: string) => [...policy.matchAll(/path "([^"]+)" \{\n {2}capabilities = \[([^\]]*)\]/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(grants(policies['lab-kv-eso-read'])).toStrictEqual([
      'auth/token/lookup-self: "read"',
      'auth/token/revoke-self: "update"',
      'lab-kv/data/platform/grafana-oidc: "read"',
      'lab-kv/data/platform/registry: "read"',
      'lab-kv/data/services/mqtt: "read"',
      'lab-kv/data/services/postgres: "read"',
    ]);
    expect(grants(policies['lab-kv-operator'])).toStrictEqual([
      'lab-kv/data/*: "create", "read", "update", "patch"',
      'lab-kv/metadata/*: "read", "list"',
    ]);
  });

  test('the KMS stack creates the consumer\'s key alias and IAM user in its region', () => {
    const kms = terraformStack('kms-unseal');
    expect(Object.values(kms.provider.aws).map((p: any) => p.region)).toStrictEqual(['us-east-2']);
    expect(Object.values(kms.resource.aws_kms_alias).map((a: any) => a.name)).toStrictEqual(['alias/lab-unseal']);
    expect(Object.values(kms.resource.aws_iam_user).map((u: any) => u.name)).toStrictEqual(['lab-vault-unseal']);
  });

  test('`homelab-secrets/tf` loads cdktf; the providers load only when a stack needs one', () => {
    expect(heavy(loadedBy('full', 'tf'))).toStrictEqual(['cdktf']);
  });
});

describe('the k8s-only consumer project (no cdktf, no providers)', () => {
  const TF_MISSING = 'homelab-secrets/tf needs cdktf (for every Terraform stack), @cdktf/provider-vault (for the Vault stack) and '
    + "@cdktf/provider-aws (for the KMS unseal stack), which are not installed: npm install 'cdktf@^0.21.0' '@cdktf/provider-vault@^15.6.1' '@cdktf/provider-aws@^21.22.1'";

  test('installs the package with cdk8s and constructs, and nothing of cdktf', () => {
    expect(consumer('k8s-only').installed.filter((name) => !name.startsWith('.')).sort())
      .toStrictEqual(['cdk8s', 'commander', 'constructs', 'homelab-secrets', 'yaml']);
  });

  test('synthesizes its manifests and docs, byte for byte the full project\'s', () => {
    expect(consumer('k8s-only').synth).toStrictEqual({ code: 0, stdout: '', stderr: '' });
    const full = consumer('full').tree;
    expect(consumer('k8s-only').tree).toStrictEqual(Object.fromEntries(Object.entries(full).filter(([file]) => !file.startsWith('terraform/'))));
  });

  test('importing `homelab-secrets/tf` fails with one line: what is missing, what for, and the npm install', () => {
    expect(consumer('k8s-only').loaded.tf).toStrictEqual({ code: 0, stdout: `MissingPeerError: ${TF_MISSING}\n`, stderr: '' });
  });

  test('uncaught (an import at the top of a script), Node prints that line without a stack', () => {
    expect(uncaughtTf.code).toBe(1);
    const lines = uncaughtTf.stderr.split('\n');
    // Node wraps an error without frames in brackets, where exactly depends on how the script was started.
    expect(lines.filter((line) => line.includes('MissingPeerError:'))).toStrictEqual([expect.stringContaining(`MissingPeerError: ${TF_MISSING}`)]);
    expect(lines.filter((line) => /^\s+at /.test(line))).toStrictEqual([]);
  });

  test('`npx homelab-secrets table` runs the package\'s bin over the declaration package.json names', () => {
    expect(bin).toStrictEqual({ code: 0, stdout: consumer('k8s-only').tree['SECRETS.md'], stderr: '' });
  });

  test('`npx homelab-secrets import --verify` in the full project (it has no TypeScript) reads its manifests back, and loads the module it wrote', () => {
    expect([imported.code, imported.stderr]).toStrictEqual([0, expect.stringMatching(/^round trip: (\d+) of \1 ExternalSecrets synthesize the same/m)]);
    expect(imported.stderr).not.toContain('does not load');
    expect(readFileSync(join(consumer('full').project.dir, 'imported.ts'), 'utf8')).toMatch(/^export function importedDeclaration\(\): Declaration \{$/m);
  });
});

describe('the installed package', () => {
  test.each(DEEP_IMPORTS)('refuses the deep import %s (not in `exports`)', (specifier) => {
    const result = deepImports[specifier];
    const subpath = `.${specifier.slice('homelab-secrets'.length)}`;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(result.stderr).toContain(`Package subpath '${subpath}' is not defined by "exports" in ${join(consumer('k8s-only').project.dir, 'node_modules/homelab-secrets/package.json')}`);
  });

  test('holds the library\'s JavaScript and declarations only: no apps, bench, tests, sources or build info', () => {
    const files = Object.keys(readTree(join(consumer('k8s-only').project.dir, 'node_modules/homelab-secrets')));
    const unexpected = files.filter((f) => !/^(package\.json|README\.md|dist\/(lib|imports)\/.+\.(js|d\.ts))$/.test(f));
    // `bin` is the library's own dist/lib/cli/bin.js, which loads the project's declaration.
    expect(unexpected).toStrictEqual([]);
    for (const entry of ['dist/lib/index', 'dist/lib/tf/index', 'dist/lib/cli/index', 'dist/lib/workloads/index']) {
      expect(files).toEqual(expect.arrayContaining([`${entry}.js`, `${entry}.d.ts`]));
    }
  });
});
