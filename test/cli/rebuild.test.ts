import { join } from 'node:path';
import { HOMELAB_SETTINGS, homelabCatalog } from '../../apps/homelab';
import { EXIT, VAULT_STACK, kmsStackDir } from '../../lib/cli';
import { DEFAULT_TERRAFORM_OUTDIR, TERRAFORM_STACKS } from '../../lib/tf/stack-names';
import { SecretCatalog } from '../../lib/catalog';
import { renderOperatorUserCommand } from '../../lib/tf/operator-login-names';
import { identityFixtureCatalog } from '../support/identity-fixtures';
import { harness } from './support/cli-harness';

async function rebuild(withPlatform = true): Promise<{ code: number; lines: string[] }> {
  const h = harness({ catalog: homelabCatalog(), settings: withPlatform ? HOMELAB_SETTINGS : undefined });
  const code = await h.cli('rebuild');
  return { code, lines: h.stdout().split('\n') };
}

/** The command lines (six spaces in), without the notes. */
function commands(lines: readonly string[]): string[] {
  return lines.filter((l) => /^ {6}[^ #]/.test(l)).map((l) => l.trim());
}

describe('rebuild', () => {
  test('the five steps come in the disaster-recovery order', async () => {
    // WHEN
    const { code, lines } = await rebuild();

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(lines.filter((l) => l.startsWith('[ ]'))).toStrictEqual([
      "[ ] 1. Before the Argo CD bootstrap, create the Secret vault-aws-kms in namespace vault: Vault's awskms seal reads its KMS credentials from it.",
      '[ ] 2. Bootstrap Argo CD. It deploys Vault and ESO, and Vault unseals itself through KMS. Restoring from Velero? Do 3a first.',
      "[ ] 3. Bring back Vault's data, either a) or b).",
      '[ ] 4. Re-populate the secrets. Reach Vault through a port-forward, trusting exactly its CA, and log in:',
      '[ ] 5. ESO recreates every Secret through the ClusterSecretStore vault-backend. Sync now rather than at the next refresh, then confirm:',
    ]);
  });

  test('steps 1 to 3 are exact commands with the platform\'s values', async () => {
    // WHEN
    const { lines } = await rebuild();

    // THEN
    const all = commands(lines);
    expect(all.slice(0, 10)).toStrictEqual([
      'terraform -chdir=cdktf.out/stacks/kms-unseal init',
      'terraform -chdir=cdktf.out/stacks/kms-unseal output -json | npx homelab-secrets kms-secret',
      'aws kms describe-key --key-id alias/vault-unseal --region eu-central-1 --query KeyMetadata.KeyId --output text',
      'kubectl -n vault get secret vault-tls',
      'kubectl -n vault exec vault-0 -- vault status',
      'kubectl -n external-secrets get pods',
      'velero backup get',
      'velero restore create --from-backup <BACKUP> --include-namespaces vault --wait',
      'kubectl -n vault exec -ti vault-0 -- vault operator init -recovery-shares=5 -recovery-threshold=3',
      'kubectl -n vault port-forward svc/vault 8200:8200 &',
    ]);
    expect(lines).toContain("      # Vault's pod also mounts its TLS Secret vault-tls (tls.crt, tls.key, ca.crt): issue it with cert-manager before Vault starts (docs/security.md)");
    expect(lines).toContain('   b) Or initialise an empty Vault. With the awskms seal, init prints recovery keys and a root token, not unseal keys: keep them offline.');
  });

  test('step 4 is seed, then the keys it asks for with where to get each; step 5 one force-sync per path, then the checks', async () => {
    // GIVEN
    const catalog = homelabCatalog();

    // WHEN
    const { lines } = await rebuild();

    // THEN
    const all = commands(lines);
    expect(all.filter((l) => l.includes('vault kv put '))).toStrictEqual([]);
    const seed = lines.indexOf('      npx homelab-secrets seed');
    expect(lines.slice(seed - 2, seed + 5)).toStrictEqual([
      '      # writes every missing generated key (6 keys) straight into Vault, then asks for each missing key a person enters,',
      '      # hidden and typed twice; after 3a it writes only what is missing. `--dry-run` says what it would do.',
      '      npx homelab-secrets seed',
      '      # the 20 keys it asks for, and where to get each (also in docs/secrets.md):',
      '      #   infrastructure/minio rootUser: a MinIO root user name of your choice, at least 3 characters (the console login; not "minioadmin")',
      '      #   infrastructure/velero cloud: MinIO console → Access Keys → Create access key (for Velero), written as an AWS credentials file: [default], aws_access_key_id, aws_secret_access_key; several lines, so send it from a file (https://github.com/vmware-tanzu/velero-plugin-for-aws#set-permissions-for-velero)',
      '      #   infrastructure/argocd-oidc oidc.authentik.clientSecret: Authentik → Applications → Providers → Argo CD → Edit → Client Secret',
    ]);
    expect(lines.slice(seed + 1, seed + 24).filter((l) => l.startsWith('      #   ')).map((l) => l.slice(10, l.indexOf(':')))).toStrictEqual(
      catalog.paths.flatMap((p) => p.keys.filter((k) => p.originOf(k)?.kind === 'external').map((k) => `${p.path} ${k}`)));
    expect(all.filter((l) => l.includes('force-sync'))).toStrictEqual(catalog.pathNames.map((p) => `npx homelab-secrets force-sync ${p}`));
    expect(all.slice(-3)).toStrictEqual(['kubectl get clustersecretstore vault-backend', 'kubectl get externalsecret -A', 'npx homelab-secrets check']);
    expect(all.filter((l) => l.includes('cdktf'))).toContain('npx cdktf deploy vault');
  });

  test('with identities it names every real role and store, no placeholder', async () => {
    // GIVEN the identity fixture: the default store, three SecretStores in media, one shared with downloads, a second ClusterSecretStore
    const h = harness({ catalog: identityFixtureCatalog(), settings: HOMELAB_SETTINGS });

    // WHEN
    await h.cli('rebuild');

    // THEN
    const lines = h.stdout().split('\n');
    expect(lines.find((l) => l.includes('the Vault stack creates'))!.trim()).toBe(
      "# the Vault stack creates the kv/ mount, ESO's auth roles external-secrets, media-sonarr, media-radarr, arr, observability, the policies and the userpass login");
    expect(lines.find((l) => l.includes('ESO recreates every Secret'))).toBe('[ ] 5. ESO recreates every Secret through the store of its identity ('
      + 'ClusterSecretStore vault-backend for apps, role external-secrets; SecretStore vault-sonarr in media, role media-sonarr; '
      + 'SecretStore vault-radarr in media, role media-radarr; SecretStore vault-arr in downloads, media, role arr; '
      + 'ClusterSecretStore vault-observability for logging, monitoring, role observability). Sync now rather than at the next refresh, then confirm:');
    expect(commands(lines).filter((l) => l.startsWith('kubectl get') && l.includes('secretstore'))).toStrictEqual([
      'kubectl get clustersecretstore vault-backend vault-observability', 'kubectl get secretstore -A',
    ]);
    expect(h.stdout()).not.toContain('<namespace>');
  });

  test('without platform settings the key id lookup leaves the region to the AWS CLI', async () => {
    // WHEN
    const { lines } = await rebuild(false);

    // THEN
    expect(commands(lines)).toContain('aws kms describe-key --key-id alias/vault-unseal --query KeyMetadata.KeyId --output text');
  });

  test('the Terraform folder and stack it quotes are the ones the synth writes, from the one stack-names module', () => {
    expect(kmsStackDir(harness().ctx)).toBe(join(DEFAULT_TERRAFORM_OUTDIR, 'stacks', TERRAFORM_STACKS.kmsUnseal));
    expect(kmsStackDir({ ...harness().ctx, terraformOutdir: 'out/tf' })).toBe('out/tf/stacks/kms-unseal');
    expect(VAULT_STACK).toBe(TERRAFORM_STACKS.vault);
  });

  test('step 4 trusts exactly Vault\'s CA and uses the root token only to deploy, create the first operator login and revoke itself', async () => {
    // WHEN
    const { lines } = await rebuild();

    // THEN
    const all = commands(lines);
    const from = all.indexOf('kubectl -n vault port-forward svc/vault 8200:8200 &');
    expect(all.slice(from, from + 14)).toStrictEqual([
      'kubectl -n vault port-forward svc/vault 8200:8200 &',
      'export VAULT_ADDR=https://127.0.0.1:8200',
      "kubectl -n vault get secret vault-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d > vault-ca.crt",
      'export VAULT_CACERT=$PWD/vault-ca.crt',
      'vault login -no-print',
      'export VAULT_TOKEN=$(vault print token)',
      'npx cdktf deploy vault',
      renderOperatorUserCommand('homelab'),
      'vault token revoke -self',
      'unset VAULT_TOKEN',
      'vault login -no-print -method=userpass -path=userpass username="$USER"',
      'npx homelab-secrets seed',
      'npx homelab-secrets force-sync infrastructure/minio',
      'npx homelab-secrets force-sync infrastructure/velero',
    ]);
    expect(lines.filter((l) => l.includes('NODE_EXTRA_CA_CERTS'))).toStrictEqual([]);
    expect(lines).toContain('   Then, in both cases, as an operator (tokens last 1h, renewable to 8h):');
  });

  test('a Vault on plain HTTP gets an http:// address, no CA, and a warning', async () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    catalog.path('apps/vpn', ['USER']).syncTo({ name: 'vpn', namespace: 'arr' });
    const h = harness({ catalog, settings: { kms: { region: 'eu-central-1' }, vault: { tls: { disabled: true } } } });

    // WHEN
    await h.cli('rebuild');

    // THEN
    const lines = h.stdout().split('\n');
    expect(commands(lines)).toContain('export VAULT_ADDR=http://127.0.0.1:8200');
    expect(lines.filter((l) => /CACERT|vault-ca|vault-tls/.test(l))).toStrictEqual([]);
    expect(lines).toContain('      # Vault serves plain HTTP (tls disabled): tokens and values cross the port-forward in clear text');
  });

  test.each([
    ['flux', 'Flux', 'Bootstrap Flux. It deploys Vault and ESO', 'BEFORE Flux installs Vault:', 'Flux then adopts'],
    ['plain', 'GitOps', 'Install Vault and ESO with your own tooling, then apply the manifests folder', 'BEFORE Vault is installed:', 'your tooling then adopts'],
  ] as const)('under gitops %s the steps name who installs the components', async (gitops, tool, install, restore, adopts) => {
    const h = harness({ catalog: homelabCatalog(), settings: { ...HOMELAB_SETTINGS, gitops } });
    expect(await h.cli('rebuild')).toBe(EXIT.ok);
    const lines = h.stdout().split('\n');
    expect(lines.filter((l) => l.startsWith('[ ] 1.') || l.startsWith('[ ] 2.'))).toStrictEqual([
      `[ ] 1. Before ${tool === 'Flux' ? 'the Flux' : 'your GitOps'} bootstrap, create the Secret vault-aws-kms in namespace vault: Vault's awskms seal reads its KMS credentials from it.`,
      `[ ] 2. ${install}${tool === 'Flux' ? ', and' : ';'} Vault unseals itself through KMS. Restoring from Velero? Do 3a first.`,
    ]);
    expect(lines.some((l) => l.endsWith(restore))).toBe(true);
    expect(lines.some((l) => l.includes(`; ${adopts} the restored objects.`))).toBe(true);
  });
});
