import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../../../lib/cli';
import { runCli } from '../../../lib/cli';
import { compareRoundTrip, formatNote, formatRefusal, formatRoundTrip, importTexts } from '../../../lib/cli/import';
import { EXIT } from '../../../lib/cli/exit-codes';
import { SENTINEL, harness } from '../support/cli-harness';

/** Relative to the repository root, jest's working folder: messages name files as given. */
const FIXTURES = 'test/cli/import/fixtures';

function expected(name: string): string {
  return readFileSync(join(__dirname, 'expected', name), 'utf8');
}

describe('homelab-secrets import', () => {
  test('a fixture repository with every accepted shape gives the exact module, notes and an exact round trip', async () => {
    // GIVEN a repository of folders: the store, two apps, a Secret committed by mistake, a Kustomization
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/homelab-repo`, '--verify');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(expected('homelab-repo.module.ts'));
    expect(h.stderr()).toBe(expected('homelab-repo.stderr.txt'));
  });

  test('keys written with the mount (and data/) are read as ESO reads them, and a store without path takes the keys\' mount', async () => {
    // GIVEN a store without provider.vault.path, and keys secret/data/apps/x and secret/apps/y
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/mount-in-keys`, '--verify');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(expected('mount-in-keys.module.ts'));
    expect(h.stderr()).toBe(expected('mount-in-keys.stderr.txt'));
  });

  test('a SecretStore per namespace, alike but for namespace and role, imports as namespace isolation', async () => {
    // GIVEN two namespaces' SecretStores "vault" with roles eso-apps and eso-media, and a secretStoreRef without kind
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/namespace-isolation`, '--verify');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(expected('namespace-isolation.module.ts'));
    expect(h.stderr()).toBe(expected('namespace-isolation.stderr.txt'));
  });

  test('SecretStores the library would not write alike, or mixed with the ClusterSecretStore, are refused', async () => {
    // GIVEN another server, role and ServiceAccount in one namespace, another store name, a namespace without its store
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/refused-namespace-isolation`);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stdout()).toBe('');
    expect(h.stderr()).toBe(expected('refused-namespace-isolation.stderr.txt'));
  });

  test('a Secret in the input is skipped with a warning, and its value appears nowhere', async () => {
    // GIVEN the fixture's apps/db/secret.yaml holds the sentinel as a value
    expect(readFileSync(`${FIXTURES}/homelab-repo/apps/db/secret.yaml`, 'utf8')).toContain(SENTINEL);
    const h = harness();

    // WHEN
    await h.cli('import', `${FIXTURES}/homelab-repo/apps/db`, `${FIXTURES}/homelab-repo/infrastructure`);

    // THEN
    expect(h.stderr()).toContain('warning: test/cli/import/fixtures/homelab-repo/apps/db/secret.yaml document 1 (Secret apps/db-bootstrap): is a Secret: skipped');
    expect(h.stdout() + h.stderr()).not.toContain(SENTINEL);
  });

  test('a stream on stdin without namespaces is refused, naming --namespace; with it, the module is exact', async () => {
    // GIVEN what flux build prints: the ExternalSecret has no namespace, the overlay's Kustomization sets it
    const stream = readFileSync(`${FIXTURES}/external-vault/stream.yaml`, 'utf8');
    const refused = harness({ stdin: stream });
    const given = harness({ stdin: stream });

    // WHEN
    const refusedCode = await refused.cli('import', '-');
    const code = await given.cli('import', '-', '--namespace', 'monitoring', '--verify');

    // THEN
    expect(refusedCode).toBe(EXIT.usage);
    expect(refused.stdout()).toBe('');
    expect(refused.stderr()).toBe([
      'homelab-secrets: 1 refusal: the library cannot express this, so nothing was written:',
      '  - (stdin) document 2 (ExternalSecret grafana-admin): metadata.namespace is not set, and no overlay set it: give the namespace with --namespace, or import the output of kustomize build or flux build',
      '',
    ].join('\n'));
    expect(code).toBe(EXIT.ok);
    expect(given.stdout()).toBe(expected('external-vault.module.ts'));
    expect(given.stderr()).toBe('round trip: 1 of 1 ExternalSecret synthesize the same (name, namespace, store, refreshInterval, target, policies, template, data, dataFrom)\n');
  });

  test('everything the library cannot express is refused at once, with file, document and field, and nothing is written', async () => {
    // GIVEN one file per refusal of the issue
    const out = join(mkdtempSync(join(tmpdir(), 'import-')), 'catalog.ts');
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/refused`, '--out', out);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(existsSync(out)).toBe(false);
    expect(h.stdout()).toBe('');
    expect(h.stderr()).toBe(expected('refused.stderr.txt'));
  });

  test('what the catalog\'s own validator refuses is refused too, tied to its document', async () => {
    // GIVEN a key with a KV v2 API segment, and deletionPolicy Delete on a Merge target
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/catalog-rules`);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe([
      'homelab-secrets: 2 refusals: the library cannot express these, so nothing was written:',
      '  - test/cli/import/fixtures/catalog-rules/externalsecrets.yaml document 2 (ExternalSecret apps/api): the catalog refuses it: data/apps/api: path "data/apps/api" must not contain a "data" segment: ESO and the policies add "data/" and "metadata/" themselves, write "apps/api"',
      '  - test/cli/import/fixtures/catalog-rules/externalsecrets.yaml document 2 (ExternalSecret apps/api): the catalog refuses it: data/apps/api → api in apps: deletionPolicy "Delete" is refused by ESO with creationPolicy "Merge": "deletionPolicy=Delete must not be used when the controller doesn\'t own the secret. Please set creationPolicy=Owner"',
      '',
    ].join('\n'));
  });

  test('--out writes the module to the file and prints nothing on stdout', async () => {
    // GIVEN
    const out = join(mkdtempSync(join(tmpdir(), 'import-')), 'catalog.ts');
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/homelab-repo`, '--out', out);

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(expected('homelab-repo.module.ts'));
  });

  test('runs without a declaration: no catalog in the context, or an invalid one', async () => {
    // GIVEN a context without a catalog (a project that has none yet) and one whose catalog is invalid
    const bare = harness();
    const ctx = { ...bare.ctx, catalog: undefined } as unknown as CliContext;
    const invalid = harness({ settings: { vault: { namespace: 'Not A Label' } } });

    // WHEN
    const code = await runCli(ctx, ['import', `${FIXTURES}/homelab-repo`]);
    const invalidCode = await invalid.cli('import', `${FIXTURES}/homelab-repo`);
    const otherCommand = await invalid.cli('table');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(bare.stdout()).toBe(expected('homelab-repo.module.ts'));
    expect(invalidCode).toBe(EXIT.ok);
    expect(otherCommand).toBe(EXIT.usage);
  });

  test('an absolute folder is read too, and its files are named absolutely', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('import', join(process.cwd(), FIXTURES, 'homelab-repo', 'apps', 'media'), '--mount', 'kv');

    // THEN
    expect(code).toBe(EXIT.ok);
    const file = join(process.cwd(), FIXTURES, 'homelab-repo/apps/media/externalsecrets.yaml');
    expect(h.stderr().split('\n').map((line) => line.slice(0, line.indexOf(')') + 1))).toStrictEqual([
      `note: ${file} document 1 (ExternalSecret media/sonarr)`,
      `note: ${file} document 1 (ExternalSecret media/sonarr)`,
      `note: ${file} document 3 (ExternalSecret media/media-stack)`,
      '',
    ]);
  });

  test('inputs that are missing or hold no YAML are usage errors', async () => {
    // GIVEN
    const missing = harness();
    const empty = harness();
    const noExternalSecret = harness();

    // WHEN
    const missingCode = await missing.cli('import', `${FIXTURES}/no-such-folder`);
    const emptyCode = await empty.cli('import', 'docs');

    // THEN
    expect(missingCode).toBe(EXIT.usage);
    expect(missing.stderr()).toBe('homelab-secrets: test/cli/import/fixtures/no-such-folder: no such file or folder\n');
    expect(emptyCode).toBe(EXIT.usage);
    expect(empty.stderr()).toBe('homelab-secrets: no *.yaml or *.yml file in docs\n');
    expect(await noExternalSecret.cli('import', 'crds/argocd')).toBe(EXIT.usage);
    expect(noExternalSecret.stderr().split('\n').slice(-2)).toStrictEqual(['homelab-secrets: no ExternalSecret in crds/argocd: nothing to import', '']);
  });

  test('YAML that does not parse is refused with its position, never its text, when it names ESO; skipped otherwise', async () => {
    // GIVEN a broken Secret (a Helm template, say), and a broken ExternalSecret
    const secret = `apiVersion: v1\nkind: Secret\nstringData:\n  password: "${SENTINEL}\n`;
    const externalSecret = `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: {{ .Release.Name }}\n  bad: "${SENTINEL}\n`;

    // WHEN
    const skipped = await importTexts([{ file: 'secret.yaml', text: secret }], { mount: 'kv' });
    const refused = await importTexts([{ file: 'es.yaml', text: externalSecret }], { mount: 'kv' });

    // THEN
    expect(skipped.refusals).toStrictEqual([]);
    expect(skipped.notes.map(formatNote)).toStrictEqual(['note: secret.yaml document 1: is not valid YAML (MISSING_CHAR at line 5, column 1) and names no external-secrets.io object: skipped']);
    expect(refused.module).toBeUndefined();
    expect(refused.refusals.map(formatRefusal)).toStrictEqual([
      'es.yaml document 1: is not valid YAML (MISSING_CHAR at line 6, column 1): it names external-secrets.io, so it may hold an ExternalSecret; render it first (helm template, kustomize build)',
    ]);
    expect(JSON.stringify([skipped, refused])).not.toContain(SENTINEL);
  });

  test('without the store\'s YAML the ExternalSecrets are refused, unless --mount names the mount', async () => {
    // GIVEN one app's folder: its ExternalSecrets, not the store
    const refused = harness();
    const given = harness();

    // WHEN
    const refusedCode = await refused.cli('import', `${FIXTURES}/homelab-repo/apps/media`);
    const code = await given.cli('import', `${FIXTURES}/homelab-repo/apps/media`, '--mount', 'kv', '--verify');

    // THEN
    expect(refusedCode).toBe(EXIT.usage);
    expect(refused.stderr().split('\n').slice(-3)).toStrictEqual([
      'homelab-secrets: 1 refusal: the library cannot express this, so nothing was written:',
      '  - test/cli/import/fixtures/homelab-repo/apps/media/externalsecrets.yaml document 1 (ExternalSecret media/sonarr): spec.secretStoreRef.name "vault" names a ClusterSecretStore that is not in the input: add its YAML (it holds the mount, the server and the Kubernetes auth), or give the mount with --mount',
      '',
    ]);
    expect(code).toBe(EXIT.ok);
    expect(given.stdout()).toContain("  const catalog = new SecretCatalog({ mount: 'kv', eso: { storeName: 'vault' } });\n");
    expect(given.stderr().split('\n').slice(-2)).toStrictEqual([
      'round trip: 3 of 3 ExternalSecrets synthesize the same (name, namespace, store, refreshInterval, target, policies, template, data, dataFrom)',
      '',
    ]);
  });

  test('a store\'s defaults left out are noted where the library writes something else', async () => {
    // GIVEN a Vault outside the cluster over https, without caProvider and serviceAccountRef
    const store = 'apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata: { name: vault-backend }\nspec:\n  provider:\n    vault:\n'
      + '      server: https://vault.example.com\n      path: secret\n      auth: { kubernetes: { role: external-secrets } }\n';

    // WHEN
    const result = await importTexts([{ file: 'store.yaml', text: store }]);

    // THEN
    expect(result.refusals).toStrictEqual([]);
    expect(result.plan!.settings).toStrictEqual({ gitops: 'plain', vault: { address: 'https://vault.example.com' } });
    expect(result.notes.map(formatNote)).toStrictEqual([
      'note: store.yaml document 1 (ClusterSecretStore vault-backend): spec.provider.vault.auth.kubernetes.serviceAccountRef has no name: the library names ESO\'s service account external-secrets/external-secrets explicitly',
      'note: store.yaml document 1 (ClusterSecretStore vault-backend): spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences is not set: the library requests the audience "vault", which the Vault role it writes requires',
      'note: store.yaml document 1 (ClusterSecretStore vault-backend): spec.provider.vault.caProvider is not set, so ESO trusts the system\'s CAs; the library cannot write that yet: its store trusts only the ca.crt of the Secret "vault-tls" in namespace "vault" (settings.vault.tls.secretName names another), so create that Secret with Vault\'s CA',
    ]);
  });

  test('a store the catalog refuses is tied to the store\'s document, and a repeated ExternalSecret to the second one', async () => {
    // GIVEN a store whose name is no DNS name, in the second document; and one ExternalSecret twice
    const es = 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: a, namespace: n }\nspec:\n  secretStoreRef: { kind: ClusterSecretStore, name: Vault_Backend }\n'
      + '  data: [{ secretKey: k, remoteRef: { key: p, property: k } }]\n';
    const store = 'apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata: { name: Vault_Backend }\nspec:\n  provider:\n    vault:\n'
      + '      server: http://vault.vault.svc:8200\n      path: kv\n      auth: { kubernetes: { role: r, serviceAccountRef: { name: external-secrets, namespace: external-secrets, audiences: [vault] } } }\n';

    // WHEN
    const once = await importTexts([{ file: 'all.yaml', text: `${es}---\n${store}` }]);
    const twice = await importTexts([{ file: 'base.yaml', text: es }, { file: 'overlay.yaml', text: `${store}---\n${es}` }]);

    // THEN
    expect(once.refusals.map(formatRefusal)).toStrictEqual([
      'all.yaml document 2 (ClusterSecretStore Vault_Backend): the catalog refuses it: store: storeName "Vault_Backend" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
    ]);
    expect(twice.refusals.map(formatRefusal)).toStrictEqual([
      'overlay.yaml document 2 (ExternalSecret n/a): metadata.name is already the name of the ExternalSecret in base.yaml document 1: ExternalSecret names are unique per namespace (for a base and its overlays, import the output of kustomize build)',
    ]);
  });

  test('documents that are not Kubernetes objects, or not ESO\'s, are skipped with a note', async () => {
    // WHEN
    const result = await importTexts([{ file: 'mixed.yaml', text: '- a\n- b\n---\nfoo: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: n }\n' }], { mount: 'kv' });

    // THEN
    expect(result.notes.map(formatNote)).toStrictEqual([
      'note: mixed.yaml document 1: is not a Kubernetes object: skipped',
      'note: mixed.yaml document 2 ((no kind) (no name)): is not an External Secrets Operator object: skipped',
      'note: mixed.yaml document 3 (ConfigMap n/c): is not an External Secrets Operator object: skipped',
    ]);
  });
});

describe('the round trip', () => {
  test('lists every field that differs, and ExternalSecrets on one side only', async () => {
    // GIVEN the fixture's ExternalSecrets, and a synthesized side with one changed and one missing
    const text = readFileSync(`${FIXTURES}/external-vault/stream.yaml`, 'utf8');
    const result = await importTexts([{ file: 'stream.yaml', text }], { namespace: 'monitoring' });
    const input = result.plan!.targets.map((t) => ({ ...t.from, namespace: t.namespace }));
    const changed = { ...input[0], refreshInterval: '1h', data: input[0].data.slice(1) };
    const extra = { ...input[0], name: 'extra' };

    // WHEN
    const report = compareRoundTrip(input, [changed, extra]);

    // THEN
    expect(formatRoundTrip(report)).toBe([
      'round trip: 0 of 1 ExternalSecret synthesize the same (name, namespace, store, refreshInterval, target, policies, template, data, dataFrom)',
      '  - ExternalSecret monitoring/grafana-admin: refreshInterval differs: input "1h0m0s", synthesized "1h"',
      '  - ExternalSecret monitoring/grafana-admin: data differs: input [{"remoteRef":{"key":"monitoring/grafana","property":"user"},"secretKey":"admin-user"},{"remoteRef":{"key":"monitoring/grafana","property":"password"},"secretKey":"admin-password"}], synthesized [{"remoteRef":{"key":"monitoring/grafana","property":"password"},"secretKey":"admin-password"}]',
      '  - ExternalSecret monitoring/extra: is synthesized but not in the input',
    ].join('\n'));
    expect(compareRoundTrip([...input, { ...input[0], name: 'gone' }], input).differences).toStrictEqual([
      { externalSecret: 'monitoring/gone', field: '(the object)', input: 'present' },
    ]);
  });

  test('the defaults the library writes explicitly are no difference', async () => {
    // GIVEN the same ExternalSecret written bare and with every default spelled out
    const bare = 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: a, namespace: n }\nspec:\n  secretStoreRef: { name: s }\n  data: [{ secretKey: k, remoteRef: { key: p, property: k } }]\n';
    const full = 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: a, namespace: n }\nspec:\n  refreshInterval: 1h\n  secretStoreRef: { name: s, kind: ClusterSecretStore }\n'
      + '  target: { name: a, creationPolicy: Owner, deletionPolicy: Retain, template: { engineVersion: v2, mergePolicy: Replace, metadata: {} } }\n  data: [{ secretKey: k, remoteRef: { key: p, property: k } }]\n';
    const a = await importTexts([{ file: 'bare.yaml', text: bare }], { mount: 'kv' });
    const b = await importTexts([{ file: 'full.yaml', text: full }], { mount: 'kv' });

    // WHEN
    const report = compareRoundTrip(a.plan!.targets.map((t) => ({ ...t.from, namespace: t.namespace })), b.plan!.targets.map((t) => t.from));

    // THEN
    expect(report).toStrictEqual({ compared: 1, equal: 1, differences: [] });
    expect(a.notes.map((n) => n.text)).toStrictEqual(['spec.secretStoreRef.kind is not set, which ESO reads as a namespaced SecretStore; imported as the ClusterSecretStore "s"']);
  });
});
