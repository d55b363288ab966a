import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { CatalogValidationError, SecretCatalog } from '../../lib/catalog';
import { STORE_CHART_ID, manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import { TERRAFORM_STACKS, terraformPart } from '../../lib/tf';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../support/fixtures';
import { readTree, synthPartToTree } from '../support/synth';
import { TfJson, policyPaths, twoPathCatalog } from './support';

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
    expect(policyPaths(policy)).toStrictEqual(['homelab/data/apps/vpn', 'homelab/data/infrastructure/minio']);
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
});

describe('terraformPart and the catalog\'s shapes', () => {
  test('ESO\'s policy leaves out the paths only operators read; the operator policy covers the whole mount', () => {
    const catalog = twoPathCatalog();
    catalog.path('infra/backup-key', ['key'], { readBy: 'operators' });
    const vault: TfJson = JSON.parse(synthPartToTree(fixtureDeclaration(catalog), terraformPart)['stacks/vault/cdk.tf.json']);
    expect(policyPaths(vault.resource!.vault_policy.eso_read_policy.policy)).toStrictEqual(['homelab/data/apps/vpn', 'homelab/data/infrastructure/minio']);
    expect(policyPaths(vault.resource!.vault_policy.operator_policy.policy)).toStrictEqual(['homelab/data/*', 'homelab/metadata/*']);
  });
});
