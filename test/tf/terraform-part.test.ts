import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import { CatalogValidationError, PlatformSettings, SecretCatalog } from '../../lib/catalog';
import { STORE_CHART_ID, manifestsPart } from '../../lib/k8s';
import { OutputPart, runSynthMain, synthOutputs } from '../../lib/synth';
import { TERRAFORM_STACKS, terraformPart } from '../../lib/tf';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../support/fixtures';
import { readTree, synthPartToTree } from '../support/synth';
import { swapSteps } from '../../lib/synth/swap-journal';
import { filesPart } from '../synth/support/synth-child';
import { TfJson, esoPolicyPaths, policyPaths, twoPathCatalog } from './support';

const FORBIDDEN_TYPES = ['vault_kv_secret_v2', 'vault_kv_secret', 'vault_generic_secret', 'aws_iam_access_key'];

function stacksOf(tree: Record<string, string>): Record<string, TfJson> {
  return {
    vault: JSON.parse(tree['stacks/vault/cdk.tf.json']),
    'kms-unseal': JSON.parse(tree['stacks/kms-unseal/cdk.tf.json']),
  };
}

describe('terraformPart', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homelab-secrets-tf-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('writes the layout cdktf deploy reads: a manifest and one folder per stack', () => {
    // GIVEN / WHEN
    const tree = synthPartToTree(fixtureDeclaration(twoPathCatalog()), terraformPart);

    // THEN
    expect(Object.keys(tree)).toStrictEqual(['manifest.json', 'stacks/kms-unseal/cdk.tf.json', 'stacks/vault/cdk.tf.json']);
    const manifest = JSON.parse(tree['manifest.json']);
    expect(Object.keys(manifest.stacks).sort()).toStrictEqual([TERRAFORM_STACKS.kmsUnseal, TERRAFORM_STACKS.vault]);
    expect(manifest.stacks.vault).toMatchObject({ synthesizedStackPath: 'stacks/vault/cdk.tf.json', workingDirectory: 'stacks/vault' });
  });

  test('is byte-identical from one synth to the next and holds no machine-specific path', () => {
    // GIVEN / WHEN
    const first = synthPartToTree(fixtureDeclaration(twoPathCatalog()), terraformPart);
    const second = synthPartToTree(fixtureDeclaration(twoPathCatalog()), terraformPart);

    // THEN
    expect(second).toStrictEqual(first);
    for (const content of Object.values(first)) {
      expect(content).not.toContain(tmpdir());
      expect(content).not.toContain(process.cwd());
    }
  });

  test('no stack holds a secret value or an access key resource', () => {
    // GIVEN / WHEN
    const tree = synthPartToTree(fixtureDeclaration(twoPathCatalog()), terraformPart);

    // THEN
    for (const [name, stack] of Object.entries(stacksOf(tree))) {
      const types = [...Object.keys(stack.resource ?? {}), ...Object.keys(stack.data ?? {})];
      expect({ name, forbidden: types.filter((t) => FORBIDDEN_TYPES.includes(t)) }).toStrictEqual({ name, forbidden: [] });
    }
    for (const content of Object.values(tree)) {
      for (const type of FORBIDDEN_TYPES) expect(content).not.toContain(`"${type}"`);
    }
  });

  test('the ESO policy lists exactly the catalog\'s distinct paths', () => {
    // GIVEN two paths, one feeding two Secrets
    const catalog = twoPathCatalog();

    // WHEN
    const tree = synthPartToTree(fixtureDeclaration(catalog), terraformPart);

    // THEN
    const policy = stacksOf(tree).vault.resource!.vault_policy.eso_read_policy.policy;
    expect(policyPaths(policy)).toStrictEqual(esoPolicyPaths('homelab/data/apps/vpn', 'homelab/data/infrastructure/minio'));
  });

  test('the Vault role and the ClusterSecretStore, written by one synth, name the same things', () => {
    // GIVEN
    const manifests = join(root, 'manifests');
    const terraform = join(root, 'cdktf.out');

    // WHEN
    synthOutputs(fixtureDeclaration(twoPathCatalog()), [manifestsPart(manifests), terraformPart(terraform)]);

    // THEN
    const store = YAML.parse(readFileSync(join(manifests, `${STORE_CHART_ID}.yaml`), 'utf8')).spec.provider.vault;
    const vault: TfJson = JSON.parse(readFileSync(join(terraform, 'stacks/vault/cdk.tf.json'), 'utf8'));
    const role = vault.resource!.vault_kubernetes_auth_backend_role.kubernetes_auth_role;
    expect({
      mount: vault.resource!.vault_mount.kv_mount.path,
      authMountPath: vault.resource!.vault_auth_backend.kubernetes_auth.path,
      role: role.role_name,
      audiences: [role.audience],
      serviceAccountName: role.bound_service_account_names[0],
      serviceAccountNamespace: role.bound_service_account_namespaces[0],
    }).toStrictEqual({
      mount: store.path,
      authMountPath: store.auth.kubernetes.mountPath,
      role: store.auth.kubernetes.role,
      audiences: store.auth.kubernetes.serviceAccountRef.audiences,
      serviceAccountName: store.auth.kubernetes.serviceAccountRef.name,
      serviceAccountNamespace: store.auth.kubernetes.serviceAccountRef.namespace,
    });
    expect(role.bound_service_account_names).toHaveLength(1);
    expect(role.bound_service_account_namespaces).toHaveLength(1);
  });

  test('one state backend setting applies to both stacks, each with its own key', () => {
    // GIVEN / WHEN
    const settings = { ...FIXTURE_SETTINGS, terraform: { stateBackend: { kind: 's3' as const, bucket: 'tfstate', region: 'eu-central-1' } } };
    const tree = synthPartToTree(fixtureDeclaration(twoPathCatalog(), settings), terraformPart);

    // THEN
    const stacks = stacksOf(tree);
    expect(stacks.vault.terraform!.backend.s3.key).toBe('homelab-secrets/vault.tfstate');
    expect(stacks['kms-unseal'].terraform!.backend.s3.key).toBe('homelab-secrets/kms-unseal.tfstate');
  });

  test('a bad catalog throws the shared CatalogValidationError and writes nothing', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab', vaultRole: { audience: 'kubernetes' } });
    catalog.path('homelab/apps/vpn', ['user']).syncTo({ name: 'vpn', namespace: 'arr' });
    const target = join(root, 'cdktf.out');
    mkdirSync(target);
    writeFileSync(join(target, 'manifest.json'), 'previous');

    // WHEN
    const run = (): void => synthOutputs(fixtureDeclaration(catalog), [terraformPart(target)]);

    // THEN
    expect(run).toThrow(CatalogValidationError);
    expect(run).toThrow(
      [
        '2 errors in the secret catalog and its settings:',
        '  - vault role: audience "kubernetes" must equal the store\'s audience "vault": Vault refuses tokens minted for another audience',
        '  - homelab/apps/vpn: path "homelab/apps/vpn" must not start with the mount "homelab/": paths are relative to the mount',
      ].join('\n'),
    );
    expect(readdirSync(root)).toStrictEqual(['cdktf.out']);
    expect(readTree(target)).toStrictEqual({ 'manifest.json': 'previous' });
  });

  test('keeps terraform init\'s providers and lock file across synths', () => {
    // GIVEN
    const target = join(root, 'cdktf.out');
    synthOutputs(fixtureDeclaration(twoPathCatalog()), [terraformPart(target)]);
    const workdir = join(target, 'stacks', 'vault');
    mkdirSync(join(workdir, '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(workdir, '.terraform', 'providers', 'plugin'), 'binary');
    writeFileSync(join(workdir, '.terraform.lock.hcl'), 'lock');

    // WHEN
    synthOutputs(fixtureDeclaration(twoPathCatalog()), [terraformPart(target)]);

    // THEN
    expect(readFileSync(join(workdir, '.terraform', 'providers', 'plugin'), 'utf8')).toBe('binary');
    expect(readFileSync(join(workdir, '.terraform.lock.hcl'), 'utf8')).toBe('lock');
    expect(existsSync(join(target, 'stacks', 'kms-unseal', '.terraform'))).toBe(false);
    expect(readdirSync(root)).toStrictEqual(['cdktf.out']);
  });

  test('takes them over by hard links, so a synth that fails later leaves the previous output whole', () => {
    // GIVEN a synthesized output that terraform init has worked in
    const target = join(root, 'cdktf.out');
    synthOutputs(fixtureDeclaration(twoPathCatalog()), [terraformPart(target)]);
    const plugin = join(target, 'stacks', 'vault', '.terraform', 'providers', 'plugin');
    mkdirSync(dirname(plugin), { recursive: true });
    writeFileSync(plugin, 'binary');
    const before = readTree(target, true);
    const inode = statSync(plugin).ino;

    // WHEN the next synth fails after adopting and swapping the Terraform output: a later output's
    // staged file vanishes just before it is moved in
    const docs = join(root, 'docs.md');
    swapSteps.hook = (step) => {
      if (step === `move in ${docs}`) rmSync(join(root, `.docs.md.staging-${process.pid}`));
    };
    try {
      expect(() => synthOutputs(fixtureDeclaration(twoPathCatalog()), [terraformPart(target), { name: 'docs', target: docs, kind: 'file', render: (_d, path) => writeFileSync(path, '') }]))
        .toThrow(`cannot replace ${docs}: no such file or folder (ENOENT); every output is as it was`);
    } finally {
      swapSteps.hook = undefined;
    }

    // THEN the previous output is whole; and a synth that succeeds carries the same provider file over
    expect(readTree(target, true)).toStrictEqual(before);
    synthOutputs(fixtureDeclaration(twoPathCatalog()), [terraformPart(target)]);
    expect(statSync(plugin).ino).toBe(inode);
  });
});

describe('a local state file inside an output folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homelab-secrets-state-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** What runSynthMain prints for a synth of the Terraform output at root/cdktf.out and `others`. */
  function synthMain(settings: PlatformSettings, others: OutputPart[] = []): string {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const before = process.exitCode;
    try {
      runSynthMain(() => synthOutputs(fixtureDeclaration(twoPathCatalog(), settings), [terraformPart(join(root, 'cdktf.out')), ...others]));
      return `${process.exitCode}: ${written.join('')}`;
    } finally {
      spy.mockRestore();
      process.exitCode = before;
    }
  }

  test('is refused as a settings mistake, with its row, field and value, before anything is written', () => {
    // WHEN the state path resolves inside the Terraform output itself (relative to <output>/stacks/<stack>)
    const printed = synthMain({ ...FIXTURE_SETTINGS, terraform: { stateBackend: { kind: 'local', path: 'terraform.tfstate' } } });

    // THEN
    expect(printed).toBe([
      '1: homelab-secrets: 2 errors in the secret catalog and its settings:',
      `  - settings.terraform.stateBackend: path "terraform.tfstate" puts the state of the stack "vault" at ${root}/cdktf.out/stacks/vault/terraform.tfstate, inside the terraform output ${root}/cdktf.out, which every synth replaces: keep it outside every output, e.g. "../../../state/vault.tfstate" (beside the Terraform output folder)`,
      `  - settings.terraform.stateBackend: path "terraform.tfstate" puts the state of the stack "kms-unseal" at ${root}/cdktf.out/stacks/kms-unseal/terraform.tfstate, inside the terraform output ${root}/cdktf.out, which every synth replaces: keep it outside every output, e.g. "../../../state/kms-unseal.tfstate" (beside the Terraform output folder)`,
      'Nothing was written.',
      '',
    ].join('\n'));
    expect(readdirSync(root)).toStrictEqual([]);
  });

  test('the default path is refused too when another output is where it points: the state/ folder beside the Terraform output', () => {
    const state = filesPart({ name: 'manifests', target: join(root, 'state'), kind: 'dir', files: {} });
    expect(synthMain({ kms: undefined }, [state])).toBe([
      '1: homelab-secrets: 1 error in the secret catalog and its settings:',
      `  - settings.terraform.stateBackend: path "../../../state/vault.tfstate" puts the state of the stack "vault" at ${root}/state/vault.tfstate, inside the manifests output ${root}/state, which every synth replaces: keep it outside every output, e.g. "../../../state/vault.tfstate" (beside the Terraform output folder)`,
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('a path outside every output, and an S3 backend, are fine', () => {
    expect(synthMain({ ...FIXTURE_SETTINGS, terraform: { stateBackend: { kind: 'local', path: '../../../tfstate/vault.tfstate' } } })).toBe('undefined: ');
    expect(synthMain({ ...FIXTURE_SETTINGS, terraform: { stateBackend: { kind: 's3', bucket: 'tfstate', region: 'eu-central-1' } } }, [filesPart({ name: 'manifests', target: join(root, 'state'), kind: 'dir', files: {} })])).toBe('undefined: ');
  });
});

describe('terraformPart and the catalog\'s shapes', () => {
  test('ESO\'s policy leaves out the paths only operators read; the operator policy covers the whole mount', () => {
    const catalog = twoPathCatalog();
    catalog.path('infra/backup-key', ['key'], { readBy: 'operators' });
    const vault: TfJson = JSON.parse(synthPartToTree(fixtureDeclaration(catalog), terraformPart)['stacks/vault/cdk.tf.json']);
    expect(policyPaths(vault.resource!.vault_policy.eso_read_policy.policy)).toStrictEqual(esoPolicyPaths('homelab/data/apps/vpn', 'homelab/data/infrastructure/minio'));
    expect(policyPaths(vault.resource!.vault_policy.operator_policy.policy)).toStrictEqual(['homelab/data/*', 'homelab/metadata/*']);
  });

  test('the operator policy deletes metadata (destroys every version) only with settings.vault.operatorCanDestroy', () => {
    const operatorMetadata = (settings: PlatformSettings): string => {
      const vault: TfJson = JSON.parse(synthPartToTree(fixtureDeclaration(twoPathCatalog(), settings), terraformPart)['stacks/vault/cdk.tf.json']);
      return /path "homelab\/metadata\/\*" \{\n {2}capabilities = (.*)\n\}/.exec(vault.resource!.vault_policy.operator_policy.policy)![1];
    };
    expect(operatorMetadata(FIXTURE_SETTINGS)).toBe('["read", "list"]');
    expect(operatorMetadata({ ...FIXTURE_SETTINGS, vault: { ...FIXTURE_SETTINGS.vault, operatorCanDestroy: false } })).toBe('["read", "list"]');
    expect(operatorMetadata({ ...FIXTURE_SETTINGS, vault: { ...FIXTURE_SETTINGS.vault, operatorCanDestroy: true } })).toBe('["read", "delete", "list"]');
  });

  test('settings.vault.operatorCanDestroy is true or false, nothing else', () => {
    const declaration = fixtureDeclaration(twoPathCatalog(), { ...FIXTURE_SETTINGS, vault: { ...FIXTURE_SETTINGS.vault, operatorCanDestroy: 'yes' as never } });
    expect(() => synthPartToTree(declaration, terraformPart)).toThrow(new CatalogValidationError([
      { row: 'settings.vault', field: 'operatorCanDestroy', value: 'yes', rule: 'must be true or false', message: 'settings.vault: operatorCanDestroy "yes" must be true or false' },
    ]));
  });
});
