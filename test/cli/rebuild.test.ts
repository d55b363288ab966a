import { join } from 'node:path';
import { HOMELAB_SETTINGS, homelabCatalog } from '../../apps/homelab';
import { EXIT, VAULT_STACK, kmsStackDir, renderPutCommand } from '../../lib/cli';
import { DEFAULT_TERRAFORM_OUTDIR, TERRAFORM_STACKS } from '../../lib/tf';
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
      '[ ] 4. Re-populate the secrets. Reach Vault through a port-forward and log in (after 3b with the root token):',
      '[ ] 5. ESO recreates every Secret through the ClusterSecretStore vault-backend. Sync now rather than at the next refresh, then confirm:',
    ]);
  });

  test('steps 1 to 3 are exact commands with the platform\'s values', async () => {
    // WHEN
    const { lines } = await rebuild();

    // THEN
    const all = commands(lines);
    expect(all.slice(0, 9)).toStrictEqual([
      'terraform -chdir=cdktf.out/stacks/kms-unseal init',
      'terraform -chdir=cdktf.out/stacks/kms-unseal output -json | npx homelab-secrets kms-secret',
      'aws kms describe-key --key-id alias/vault-unseal --region eu-central-1 --query KeyMetadata.KeyId --output text',
      'kubectl -n vault exec vault-0 -- vault status',
      'kubectl -n external-secrets get pods',
      'velero backup get',
      'velero restore create --from-backup <BACKUP> --include-namespaces vault --wait',
      'kubectl -n vault exec -ti vault-0 -- vault operator init -recovery-shares=5 -recovery-threshold=3',
      'kubectl -n vault port-forward svc/vault 8200:8200 &',
    ]);
    expect(lines).toContain('   b) Or initialise an empty Vault. With the awskms seal, init prints recovery keys and a root token, not unseal keys: keep them offline.');
  });

  test('step 4 has one `new` line per path, step 5 one force-sync per path, then the checks', async () => {
    // GIVEN
    const catalog = homelabCatalog();

    // WHEN
    const { lines } = await rebuild();

    // THEN
    const all = commands(lines);
    expect(all.filter((l) => l.startsWith('vault kv put '))).toStrictEqual(catalog.paths.map((p) => renderPutCommand(catalog, p)));
    expect(all.filter((l) => l.includes('force-sync'))).toStrictEqual(catalog.pathNames.map((p) => `npx homelab-secrets force-sync ${p}`));
    expect(all.slice(-3)).toStrictEqual(['kubectl get clustersecretstore vault-backend', 'kubectl get externalsecret -A', 'npx homelab-secrets check']);
    expect(all.filter((l) => l.includes('cdktf'))).toContain('npx cdktf deploy vault');
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
});
