import { SecretCatalog } from '../../lib/catalog';
import { EXIT } from '../../lib/cli';
import { harness } from './support/cli-harness';

/** A catalog with a renamed ExternalSecret and a path only operators read. */
function catalog(): SecretCatalog {
  const c = new SecretCatalog({ mount: 'kv' });
  c.path('apps/keycloak-db', ['password']).syncTo({ name: 'keycloak-db-secret', namespace: 'auth', externalSecretName: 'keycloak-db-externalsecret' });
  c.path('infra/backup-key', ['key'], { readBy: 'operators' });
  return c;
}

describe('the CLI over ExternalSecret names and operator-only paths', () => {
  test.each(['apps/keycloak-db', 'keycloak-db-externalsecret', 'keycloak-db-secret'])('force-sync %s annotates the ExternalSecret by its own name', async (input) => {
    const h = harness({ catalog: catalog() });
    expect(await h.cli('force-sync', input)).toBe(EXIT.ok);
    expect(h.runs.map((r) => r.args)).toStrictEqual([['annotate', 'externalsecret', '-n', 'auth', 'keycloak-db-externalsecret', 'force-sync=1700000000000', '--overwrite']]);
    expect(h.stdout()).toContain('  auth/keycloak-db-externalsecret: annotated\n');
  });

  test('force-sync of an operator-only path says no ExternalSecret reads it', async () => {
    const h = harness({ catalog: catalog() });
    expect(await h.cli('force-sync', 'infra/backup-key')).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: no ExternalSecret reads "infra/backup-key": it is declared as read by operators and other tools only\n');
  });

  test('rotate of an operator-only path patches it and force-syncs nothing', async () => {
    const h = harness({ catalog: catalog(), stdin: 'new-key\n' });
    expect(await h.cli('rotate', 'infra/backup-key', 'key')).toBe(EXIT.ok);
    expect(h.runs.map((r) => [r.cmd, ...r.args])).toStrictEqual([['vault', 'kv', 'patch', '-mount=kv', 'infra/backup-key', '-']]);
    expect(h.stdout()).toBe('patched kv/infra/backup-key: key; its other keys are unchanged\nno ExternalSecret to force-sync: infra/backup-key is read by operators and other tools only\n');
  });

  test('rebuild has seed put the operator-only path back but force-syncs only what ESO reads', async () => {
    const h = harness({ catalog: catalog() });
    expect(await h.cli('rebuild')).toBe(EXIT.ok);
    const out = h.stdout();
    expect(out).toContain('      npx homelab-secrets seed\n      # the 2 keys it asks for, and where to get each (also in docs/secrets.md):\n'
      + '      #   apps/keycloak-db password: (no origin declared)\n      #   infra/backup-key key: (no origin declared)\n');
    expect(out).toContain('      npx homelab-secrets force-sync apps/keycloak-db\n');
    expect(out).not.toContain('force-sync infra/backup-key');
    expect(out).toContain('      # infra/backup-key: read by operators and other tools only, no ExternalSecret to sync\n');
  });

  test('without a KMS key there is no kms-secret command and no KMS step in rebuild', async () => {
    const settings = { vault: { tls: { disabled: true } } };
    const h = harness({ catalog: catalog(), settings });
    expect(await h.cli('kms-secret')).toBe(EXIT.usage);
    expect(h.stderr()).toContain("error: unknown command 'kms-secret'");
    const r = harness({ catalog: catalog(), settings });
    await r.cli('rebuild');
    const steps = r.stdout().split('\n').filter((l) => l.startsWith('[ ]'));
    expect(steps).toStrictEqual([
      '[ ] 1. Bootstrap Argo CD. It deploys Vault and ESO, and Vault starts sealed (no KMS auto-unseal). Restoring from Velero? Do 2a first.',
      "[ ] 2. Bring back Vault's data, either a) or b).",
      '[ ] 3. Re-populate the secrets. Reach Vault through a port-forward, and log in:',
      '[ ] 4. ESO recreates every Secret through the ClusterSecretStore vault-backend. Sync now rather than at the next refresh, then confirm:',
    ]);
    expect(r.stdout()).toContain('      kubectl -n vault exec -ti vault-0 -- vault operator unseal\n');
    expect(r.stdout()).not.toMatch(/kms|KMS_|aws /);
  });

  test('with Vault outside the cluster, rebuild reaches it at its address and runs nothing in a Vault pod', async () => {
    const h = harness({ catalog: catalog(), settings: { kms: { region: 'eu-west-1' }, components: { vault: false }, vault: { address: 'https://vault.lan:8200' } } });
    await h.cli('rebuild');
    const out = h.stdout();
    expect(out.split('\n').filter((l) => l.startsWith('[ ]'))[1]).toBe('[ ] 2. Vault runs outside the cluster, at https://vault.lan:8200: bring it and its data back the way you run it, then bootstrap ESO.');
    expect(out).toContain('      export VAULT_ADDR=https://vault.lan:8200\n');
    expect(out).not.toContain('vault-0');
    expect(out).not.toContain('port-forward');
  });
});
