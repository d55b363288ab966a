import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../../../lib/cli';
import { runCli } from '../../../lib/cli';
import {
  buildDeclaration, compareAccess, compareRoundTrip, formatNote, formatRefusal, formatRoundTrip, importTexts, listInputFiles, parseDocuments, readDocuments,
  resolveLayout,   synthesizeEsoDocuments, synthesizeVaultRoles,
} from '../../../lib/cli/import';
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

  test('an Argo CD repository: several stores in a namespace, roles and ServiceAccounts of their own names, a role of two namespaces, in one run', async () => {
    // GIVEN three SecretStores in media (one logging in as default, one as a ServiceAccount the repository does not
    // hold, with a CA of its own), one role shared by media and downloads, a ClusterSecretStore for two namespaces
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/argocd-repo`, '--verify');

    // THEN one identity per role, every name kept; stores, ServiceAccounts, roles and policies synthesize the same
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(expected('argocd-repo.module.ts'));
    expect(h.stderr()).toBe(expected('argocd-repo.stderr.txt'));
  });

  test('a Flux repository imports as a folder: Flux Kustomizations and overlays place the objects, the outermost winning; gitops is flux', async () => {
    // GIVEN Flux Kustomizations with and without targetNamespace, over kustomize overlays of one base
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/flux-repo`, '--verify');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(expected('flux-repo.module.ts'));
    expect(h.stderr()).toBe(expected('flux-repo.stderr.txt'));
    expect(h.stdout()).toContain("  gitops: 'flux',\n");
  });

  test('stores one role cannot stand for, a second Vault or auth mount, a namespace a store does not admit, what overlays do that the import cannot copy: refused, each with its fix', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('import', `${FIXTURES}/refused-identities`);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stdout()).toBe('');
    expect(h.stderr()).toBe(expected('refused-identities.stderr.txt'));
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
      '  - (stdin) document 2 (ExternalSecret grafana-admin): metadata.namespace is not set, and no overlay set it: give the namespace with --namespace, or import the repository\'s folder (its kustomizations and Flux Kustomizations set it), or the output of kustomize build or flux build',
      '',
    ].join('\n'));
    expect(code).toBe(EXIT.ok);
    expect(given.stdout()).toBe(expected('external-vault.module.ts'));
    expect(given.stderr()).toBe([
      'note: (stdin) document 1 (ClusterSecretStore vault-backend): spec.conditions is not set, so every namespace may read through the store: the library limits it to the namespaces of its ExternalSecrets (monitoring)',
      'round trip: 1 of 1 ExternalSecret synthesize the same (name, namespace, store, refreshInterval, target, policies, template, data, dataFrom)',
      'round trip: 1 of 1 store (server, mount, CA, Kubernetes auth, conditions), 0 of 0 ServiceAccounts and 1 of 1 Vault role (whom it admits, audience, a policy of exactly the paths read through it) synthesize the same',
      '',
    ].join('\n'));
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
      'es.yaml document 1: is not valid YAML (MISSING_CHAR at line 6, column 1): it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)',
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

  test('a store\'s defaults left out are noted where the library writes something else; no caProvider trusts the system CAs', async () => {
    // GIVEN a Vault outside the cluster over https, without caProvider and serviceAccountRef
    const store = 'apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata: { name: vault-backend }\nspec:\n  provider:\n    vault:\n'
      + '      server: https://vault.example.com\n      path: secret\n      auth: { kubernetes: { role: external-secrets } }\n';
    const es = 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: a, namespace: n }\nspec:\n  secretStoreRef: { kind: ClusterSecretStore, name: vault-backend }\n'
      + '  data: [{ secretKey: k, remoteRef: { key: p, property: k } }]\n';

    // WHEN
    const result = await importTexts([{ file: 'store.yaml', text: `${store}---\n${es}` }], { verify: true });

    // THEN
    expect(result.refusals).toStrictEqual([]);
    expect(result.plan!.settings).toStrictEqual({ gitops: 'plain', vault: { address: 'https://vault.example.com', tls: { storeTrust: 'system' } } });
    expect(result.notes.map(formatNote)).toStrictEqual([
      'note: store.yaml document 1 (ClusterSecretStore vault-backend): spec.provider.vault.caProvider is not set on any store, so ESO trusts the system CAs: the settings say so (vault.tls.storeTrust "system")',
      'note: store.yaml document 1 (ClusterSecretStore vault-backend): spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences is not set: the library requests the audience "vault", which the Vault role it writes requires',
      'note: store.yaml document 1 (ClusterSecretStore vault-backend): spec.provider.vault.auth.kubernetes.serviceAccountRef has no name: the library names ESO\'s service account external-secrets/external-secrets explicitly',
      'note: store.yaml document 1 (ClusterSecretStore vault-backend): spec.conditions is not set, so every namespace may read through the store: the library limits it to the namespaces of its ExternalSecrets (n)',
    ]);
    expect(result.roundTrip!.differences).toStrictEqual([]);
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
      'overlay.yaml document 2 (ExternalSecret n/a): metadata.name is already the name of the ExternalSecret in base.yaml document 1: ExternalSecret names are unique per namespace (for a base and its overlays, import the repository\'s folder, or the output of kustomize build)',
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
      { object: 'ExternalSecret monitoring/gone', field: '(the object)', input: 'present' },
    ]);
  });

  test('a wider policy, a role that admits more, another CA or a ServiceAccount too many is a difference', async () => {
    // GIVEN the Argo CD repository's import, and what its catalog synthesizes
    const files = listInputFiles([`${FIXTURES}/argocd-repo`], process.cwd());
    const texts = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    const result = await importTexts(texts, { folders: [`${FIXTURES}/argocd-repo`] });
    const declaration = buildDeclaration(result.plan!);
    const synthesized = readDocuments(await synthesizeEsoDocuments(declaration));
    const roles = await synthesizeVaultRoles(declaration);
    const placed = await resolveLayout(parseDocuments(texts).documents, { roots: [`${FIXTURES}/argocd-repo`] });
    const inputAccounts = readDocuments(placed.documents).serviceAccounts;
    const exact = compareAccess(result.plan!, inputAccounts, { ...synthesized, roles });
    expect([exact.counts, exact.differences]).toStrictEqual([{ stores: { compared: 6, equal: 6 }, serviceAccounts: { compared: 3, equal: 3 }, roles: { compared: 5, equal: 5 } }, []]);

    // WHEN one role reads a path more and admits another ServiceAccount, a store trusts another CA, a ServiceAccount is added
    const widened = roles.map((r) => (r.role === 'arr' ? { ...r, paths: [...r.paths, 'apps/sonarr'], serviceAccounts: [...r.serviceAccounts, 'media/default'] } : r));
    const stores = synthesized.stores.map((st) => (st.name === 'vault-sonarr' ? { ...st, caProvider: undefined } : st));
    const serviceAccounts = [...synthesized.serviceAccounts, { file: 'x', document: 1, name: 'extra', namespace: 'media' }];
    const report = compareAccess(result.plan!, inputAccounts, { stores, serviceAccounts, roles: widened });

    // THEN
    expect(report.differences).toStrictEqual([
      { object: 'SecretStore media/vault-sonarr', field: 'caProvider', input: '{"key":"ca.crt","name":"vault-tls-ca","type":"ConfigMap"}', synthesized: 'null' },
      { object: 'ServiceAccount media/extra', field: '(the object)', synthesized: 'present' },
      { object: 'Vault role arr', field: 'serviceAccounts', input: '["downloads/arr-eso","media/arr-eso"]', synthesized: '["downloads/arr-eso","media/arr-eso","media/default"]' },
      { object: 'Vault role arr', field: 'policy', input: '["apps/indexer","apps/sabnzbd"]', synthesized: '["apps/indexer","apps/sabnzbd","apps/sonarr"]' },
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
