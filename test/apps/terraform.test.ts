import { HOMELAB_SETTINGS, homelabCatalog, homelabDeclaration } from '../../apps/homelab';
import { EsoReadPolicy, terraformPart } from '../../lib/tf';
import { Testing } from 'cdktf';
import { esoPolicyProps } from '../tf/support';
import { synthPartToTree } from '../support/synth';
import { TfJson, esoPolicyPaths, policyPaths } from '../tf/support';

/** The homelab's 14 distinct paths, written out so that a change to the catalog must show up here. */
const HOMELAB_PATHS = [
  'apps/exportarr',
  'apps/homepage',
  'apps/openclaw',
  'apps/recyclarr',
  'apps/unpackerr',
  'apps/vpn',
  'infrastructure/alertmanager-slack',
  'infrastructure/argocd-notifications-slack',
  'infrastructure/argocd-oidc',
  'infrastructure/authentik',
  'infrastructure/grafana',
  'infrastructure/grafana-oidc',
  'infrastructure/minio',
  'infrastructure/velero',
];

describe('the homelab Terraform', () => {
  test('the homelab policy lists exactly its 14 distinct paths, read only, no glob, no metadata/', () => {
    // GIVEN
    const catalog = homelabCatalog();

    // WHEN
    const policy = new EsoReadPolicy(Testing.app(), 'EsoReadPolicy', esoPolicyProps(catalog));

    // THEN
    const hcl = policy.document.toHcl();
    expect(policyPaths(hcl)).toStrictEqual(esoPolicyPaths(...HOMELAB_PATHS.map((p) => `homelab/data/${p}`)));
    expect(policyPaths(hcl)).toStrictEqual(esoPolicyPaths(...[...catalog.pathNames].sort().map((p) => `homelab/data/${p}`)));
    expect(catalog.paths).toHaveLength(14); // openclaw feeds two Secrets but is one path
    expect(policy.apiPaths).toStrictEqual(HOMELAB_PATHS.map((p) => `homelab/data/${p}`));
    // Its own token's lookup and revocation, which the default policy would grant; nothing else of it.
    expect(policy.document.rules.slice(0, 2)).toStrictEqual([
      { path: 'auth/token/lookup-self', capabilities: ['read'] },
      { path: 'auth/token/revoke-self', capabilities: ['update'] },
    ]);
    expect(policy.document.rules.slice(2).every((r) => r.capabilities.join() === 'read')).toBe(true);
    expect([...hcl.matchAll(/capabilities = (.*)$/gm)].map((m) => m[1])).toStrictEqual(['["read"]', '["update"]', ...HOMELAB_PATHS.map(() => '["read"]')]);
    expect(hcl).not.toMatch(/[*+]|metadata\//);
  });


  const tree = synthPartToTree(homelabDeclaration(), terraformPart);
  const vault: TfJson = JSON.parse(tree['stacks/vault/cdk.tf.json']);
  const kms: TfJson = JSON.parse(tree['stacks/kms-unseal/cdk.tf.json']);

  test('the ESO policy lists exactly the catalog\'s 14 distinct paths', () => {
    const policy = vault.resource!.vault_policy.eso_read_policy.policy;
    expect(policyPaths(policy)).toHaveLength(16);
    expect(policyPaths(policy)).toStrictEqual(esoPolicyPaths(...[...homelabCatalog().pathNames].sort().map((p) => `homelab/data/${p}`)));
  });

  test('the KMS key lives in the homelab\'s region under its alias, and both stacks keep local state', () => {
    expect(kms.provider!.aws[0].region).toBe(HOMELAB_SETTINGS.kms!.region);
    expect(kms.resource!.aws_kms_alias.unseal_alias.name).toBe('alias/vault-unseal');
    expect(vault.terraform!.backend).toStrictEqual({ local: { path: '../../../state/vault.tfstate' } });
    expect(kms.terraform!.backend).toStrictEqual({ local: { path: '../../../state/kms-unseal.tfstate' } });
  });
});
