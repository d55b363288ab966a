import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import YAML from 'yaml';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { readTree } from '../support/synth';
import { ConsumerProject, Run, createConsumerProject, run } from './consumer-project';

/**
 * GIVEN a fresh project that installs the packed library offline and declares a small catalog of its
 * own (test/consumer/fixture), WHEN it is type-checked with tsc against the package's .d.ts and run
 * with node, THEN it synthesizes its own manifests, Terraform and docs through the public entry points
 * only. The type check and the run go side by side: the run uses the fixture transpiled without types.
 */

let project: ConsumerProject;
let compile: Run;
let synth: Run;
let tree: Record<string, string>;

const node = (...args: string[]): Promise<Run> => run(project.dir, process.execPath, args);

// Node processes started right after the install, alongside tsc; the tests below await them.
const LOADED = "require(process.argv[1]); console.log(JSON.stringify([...new Set(Object.keys(require.cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean))].sort()))";
const DEEP_IMPORTS = ['homelab-secrets/dist/lib/catalog', 'homelab-secrets/dist/lib/tf/index.js', 'homelab-secrets/lib/synth/terraform-part'];
let loaded: Record<'main' | 'cli' | 'tf', Promise<Run>>;
let workloads: Promise<Run>;
let deepImports: Record<string, Promise<Run>>;

beforeAll(async () => {
  const creating = createConsumerProject();
  // The schemas take ~1 s to compile; do it while npm packs and installs in other processes.
  for (const [apiVersion, kind] of [['external-secrets.io/v1', 'ExternalSecret'], ['external-secrets.io/v1', 'ClusterSecretStore'], ['argoproj.io/v1alpha1', 'Application']]) {
    crdSchemaErrors({ apiVersion, kind });
  }
  project = await creating;
  loaded = {
    main: node('-e', LOADED, 'homelab-secrets'),
    cli: node('-e', LOADED, 'homelab-secrets/cli'),
    tf: node('-e', LOADED, 'homelab-secrets/tf'),
  };
  workloads = node('-e', "console.log(require.resolve('homelab-secrets/workloads')); require('homelab-secrets/workloads')");
  deepImports = Object.fromEntries(DEEP_IMPORTS.map((specifier) => [specifier, node('-e', `require(${JSON.stringify(specifier)})`)]));
  const compiling = node('node_modules/typescript/bin/tsc', '-p', '.', '--noEmit');
  const js = transformSync(readFileSync(join(project.dir, 'main.ts'), 'utf8'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
  }).code;
  mkdirSync(join(project.dir, 'dist'), { recursive: true });
  writeFileSync(join(project.dir, 'dist', 'main.js'), js);
  [compile, synth] = await Promise.all([compiling, node('dist/main.js')]);
  tree = synth.code === 0 ? readTree(join(project.dir, 'out'), true) : {};
  await Promise.all([...Object.values(loaded), workloads, ...Object.values(deepImports)]);
}, 600_000);

afterAll(() => project?.remove());

const manifestObjects = (): any[] => Object.entries(tree)
  .filter(([file]) => file.startsWith('manifests/') && file.endsWith('.yaml'))
  .flatMap(([, content]) => YAML.parseAllDocuments(content).map((d) => d.toJSON()));

const terraformStack = (stack: string): any => JSON.parse(tree[`terraform/stacks/${stack}/cdk.tf.json`]);

describe('a consumer project with its own catalog', () => {
  test('compiles with tsc (strict, node16 resolution through `exports`) against the package\'s .d.ts', () => {
    expect(compile).toStrictEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('synthesizes its manifests, Terraform and docs, and nothing else', () => {
    expect(synth).toStrictEqual({ code: 0, stdout: '', stderr: '' });
    expect(Object.keys(tree).sort()).toStrictEqual([
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

  test('every manifest object is valid against the vendored CRD schemas and already holds their defaults', () => {
    const objects = manifestObjects();
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

  test('the store reads the consumer\'s mount and admits exactly its namespaces', () => {
    const [store] = manifestObjects().filter((o) => o.kind === 'ClusterSecretStore');
    expect(store.spec.provider.vault.path).toBe('lab-kv');
    expect(store.spec.conditions).toStrictEqual([{ namespaces: ['data', 'iot', 'observability'] }]);
  });

  test('the ExternalSecrets name the consumer\'s paths, keys, renames, policies, template and extract', () => {
    const specs = Object.fromEntries(manifestObjects().filter((o) => o.kind === 'ExternalSecret').map((o) => [
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
    const applications = manifestObjects().filter((o) => o.kind === 'Application');
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
      'lab-kv/data/platform/grafana-oidc: "read"',
      'lab-kv/data/platform/registry: "read"',
      'lab-kv/data/services/mqtt: "read"',
      'lab-kv/data/services/postgres: "read"',
    ]);
    expect(grants(policies['lab-kv-operator'])).toStrictEqual([
      'lab-kv/data/*: "create", "read", "update", "patch"',
      'lab-kv/metadata/*: "read", "delete", "list"',
    ]);
  });

  test('the KMS stack creates the consumer\'s key alias and IAM user in its region', () => {
    const kms = terraformStack('kms-unseal');
    expect(Object.values(kms.provider.aws).map((p: any) => p.region)).toStrictEqual(['us-east-2']);
    expect(Object.values(kms.resource.aws_kms_alias).map((a: any) => a.name)).toStrictEqual(['alias/lab-unseal']);
    expect(Object.values(kms.resource.aws_iam_user).map((u: any) => u.name)).toStrictEqual(['lab-vault-unseal']);
  });
});

describe('the installed package', () => {
  // The packages whose modules a fresh node process loaded after requiring the entry point.
  const loadedBy = async (entry: keyof typeof loaded): Promise<string[]> => {
    const result = await loaded[entry];
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  };
  const heavy = (names: string[]) => names.filter((n) => n === 'cdktf' || n.startsWith('@cdktf/') || n === 'cdk8s-plus-27');

  test('`homelab-secrets` loads neither cdktf, its providers nor cdk8s-plus-27; `./cli` loads no cdktf', async () => {
    const main = await loadedBy('main');
    expect(main).toContain('homelab-secrets');
    expect(heavy(main)).toStrictEqual([]);
    const cli = await loadedBy('cli');
    expect(cli).toContain('homelab-secrets');
    expect(heavy(cli)).toStrictEqual([]);
  });

  test('`homelab-secrets/tf` is where cdktf and the providers load', async () => {
    expect(heavy(await loadedBy('tf'))).toStrictEqual(['@cdktf/provider-aws', '@cdktf/provider-vault', 'cdktf']);
  });

  test('`homelab-secrets/workloads` is exported; cdk8s-plus-27 is an optional peer this project did not install', async () => {
    const result = await workloads;
    expect(result.stdout.trim()).toBe(join(project.dir, 'node_modules/homelab-secrets/dist/lib/workloads/index.js'));
    expect(result.stderr).toContain("Cannot find module 'cdk8s-plus-27'");
  });

  test.each(DEEP_IMPORTS)('refuses the deep import %s (not in `exports`)', async (specifier) => {
    const result = await deepImports[specifier];
    const subpath = `.${specifier.slice('homelab-secrets'.length)}`;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(result.stderr).toContain(`Package subpath '${subpath}' is not defined by "exports" in ${join(project.dir, 'node_modules/homelab-secrets/package.json')}`);
  });

  test('holds the library\'s JavaScript and declarations only: no apps, bench, tests, sources or build info', () => {
    const files = Object.keys(readTree(join(project.dir, 'node_modules/homelab-secrets')));
    const unexpected = files.filter((f) => !/^(package\.json|README\.md|dist\/(lib|imports)\/.+\.(js|d\.ts))$/.test(f));
    // `bin` is the library's own dist/lib/cli/bin.js, which loads the project's declaration.
    expect(unexpected).toStrictEqual([]);
    for (const entry of ['dist/lib/index', 'dist/lib/tf/index', 'dist/lib/cli/index', 'dist/lib/workloads/index']) {
      expect(files).toEqual(expect.arrayContaining([`${entry}.js`, `${entry}.d.ts`]));
    }
  });
});
