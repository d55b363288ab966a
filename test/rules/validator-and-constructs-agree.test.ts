import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { App as TerraformApp } from 'cdktf';
import { componentApplications } from '../../lib/argocd';
import { type Declaration, type PlatformSettings, SecretCatalog, resolveDeclaration, validateDeclaration } from '../../lib/catalog';
import { renderSecretsDoc } from '../../lib/docs';
import { addEsoCharts } from '../../lib/k8s';
import { assertConstructsValid } from '../../lib/synth';
import { addTerraformStacks } from '../../lib/tf';
import { FIXTURE_SETTINGS } from '../support/fixtures';

/**
 * One rules module serves the validator and the constructs: whatever the validator accepts, every
 * construct accepts too. Each field of the declaration gets every value below, one of each kind of
 * trouble; a declaration the validator accepts must render the outputs that field reaches without an
 * error (a construct that refused it would print a stack trace in a real synth).
 */
const HOSTILE: readonly unknown[] = [
  '', ' ', 'ok', 'A', 'a b', 'a*', 'a+', 'a/b', '/a', 'a/', 'a//b', 'a/../b', '${x}', 'a%{x}', 'a"b', 'a\\b', 'data', 'sys', '-a', 'a.b',
  'a_b', 'a@b', 'é', 'a\nb', 'x'.repeat(64), 'x'.repeat(254), 'https://x', 'http://x', 'https://x/${y}', 'alias/x', 'eu-central-1', '5Gi',
  '1h', '0s', 'system', 'tlsSecret', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 0, -1, 1.5, 3, null, undefined, true, [],
];

/** What a field reaches: the manifests (with the components' Applications), the Terraform, the docs. */
type Reach = 'manifests' | 'terraform' | 'docs';
const ALL: readonly Reach[] = ['manifests', 'terraform', 'docs'];

/**
 * A field: `one` declares one value at a time (a mount, a setting); `many` declares every value at once
 * where the declaration can hold several (targets, paths, annotations), so one render covers them all.
 */
type Field =
  | { readonly name: string; readonly reach: readonly Reach[]; readonly one: (value: any) => Declaration }
  | { readonly name: string; readonly reach: readonly Reach[]; readonly many: (values: readonly any[]) => Declaration };

/** A catalog of two namespaces with `props`; `declare` adds to it. */
function catalog(isolation: 'cluster' | 'namespace', props: object = {}, declare: (c: SecretCatalog) => void = () => {}): SecretCatalog {
  const c = new SecretCatalog({ mount: 'kv', isolation, ...props } as never);
  c.path('apps/db', ['password']).syncTo({ name: 'db', namespace: 'apps' });
  c.path('apps/other', ['token']).syncTo({ name: 'other', namespace: 'web' });
  declare(c);
  return c;
}

const withSettings = (settings: PlatformSettings): Declaration => ({ catalog: catalog('cluster'), settings });
const withVault = (vault: object): Declaration => withSettings({ ...FIXTURE_SETTINGS, vault: { ...FIXTURE_SETTINGS.vault, ...vault } });
const inCatalog = (c: SecretCatalog): Declaration => ({ catalog: c, settings: FIXTURE_SETTINGS });

/** One target per value, each with the value as `option` (and a unique name unless the option is the name). */
const targets = (isolation: 'cluster' | 'namespace', option: string) => (values: readonly unknown[]): Declaration =>
  inCatalog(catalog(isolation, {}, (c) => {
    const path = c.path('apps/probe', ['k']);
    values.forEach((v, i) => path.syncTo({ name: `probe-${i}`, namespace: 'apps', [option]: v } as never));
  }));

const FIELDS: readonly Field[] = [
  ...(['cluster', 'namespace'] as const).flatMap((isolation): Field[] => [
    { name: `${isolation}: mount`, reach: ALL, one: (v) => inCatalog(catalog(isolation, { mount: v })) },
    { name: `${isolation}: path`, reach: ALL, many: (vs) => inCatalog(catalog(isolation, {}, (c) => vs.forEach((v, i) => c.path(v, ['k']).syncTo({ name: `p-${i}`, namespace: 'apps' })))) },
    { name: `${isolation}: key`, reach: ALL, many: (vs) => inCatalog(catalog(isolation, {}, (c) => vs.forEach((v, i) => c.path(`keys/${i}`, [v]).syncTo({ name: `k-${i}`, namespace: 'apps' })))) },
    { name: `${isolation}: target name`, reach: ALL, many: (vs) => inCatalog(catalog(isolation, {}, (c) => vs.forEach((v, i) => c.path(`names/${i}`, ['k']).syncTo({ name: v, namespace: 'apps' })))) },
    { name: `${isolation}: target namespace`, reach: ALL, many: (vs) => inCatalog(catalog(isolation, {}, (c) => vs.forEach((v, i) => c.path(`ns/${i}`, ['k']).syncTo({ name: 'x', namespace: v })))) },
    ...['externalSecretName', 'refreshInterval', 'type', 'creationPolicy', 'deletionPolicy'].map((option): Field => ({ name: `${isolation}: target ${option}`, reach: ALL, many: targets(isolation, option) })),
    { name: `${isolation}: target labels`, reach: ALL, many: (vs) => targets(isolation, 'labels')(vs.map((v) => ({ [String(v)]: 'x', app: v }))) },
    { name: `${isolation}: target annotations`, reach: ALL, many: (vs) => targets(isolation, 'annotations')(vs.map((v) => ({ [String(v)]: v }))) },
    { name: `${isolation}: template key`, reach: ALL, many: (vs) => targets(isolation, 'template')(vs.map((v) => () => ({ [String(v)]: '{{ .k }}' }))) },
    ...['storeName', 'authMountPath', 'role', 'audience', 'serviceAccountName', 'serviceAccountNamespace'].map((option): Field =>
      ({ name: `${isolation}: eso.${option}`, reach: ALL, one: (v) => inCatalog(catalog(isolation, { eso: { [option]: v }, vaultRole: { audience: option === 'audience' ? v : undefined } })) })),
    { name: `${isolation}: vaultRole.tokenTtlSeconds`, reach: ['terraform'], one: (v) => inCatalog(catalog(isolation, { vaultRole: { tokenTtlSeconds: v } })) },
  ]),
  ...(['SecretStore', 'ClusterSecretStore'] as const).flatMap((kind): Field[] => {
    /** A catalog with one declared identity of `kind`, changed by `change`, that the target `x` in `apps` reads through. */
    const withIdentity = (change: (options: any) => any, name = 'probe'): Declaration => inCatalog(catalog('cluster', {}, (c) => {
      const options = change({ store: { kind, namespaces: ['apps'] }, ...(kind === 'ClusterSecretStore' ? { serviceAccount: { name: 'probe', namespace: 'eso' } } : {}) });
      c.path('apps/probe', ['k']).syncTo({ name: 'x', namespace: 'apps', identity: c.identity(name, options) } as never);
    }));
    return [
      { name: `${kind} identity name`, reach: ALL, one: (v) => withIdentity((o) => o, v) },
      { name: `${kind} identity store.name`, reach: ALL, one: (v) => withIdentity((o) => ({ ...o, store: { ...o.store, name: v } })) },
      { name: `${kind} identity store namespace`, reach: ALL, one: (v) => inCatalog(catalog('cluster', {}, (c) => {
        c.path('apps/probe', ['k']).syncTo({ name: 'x', namespace: v, identity: c.identity('probe', { store: { kind, namespaces: [v] } }) } as never);
      })) },
      { name: `${kind} identity serviceAccount.name`, reach: ALL, one: (v) => withIdentity((o) => ({ ...o, serviceAccount: { ...o.serviceAccount, name: v } })) },
      { name: `${kind} identity serviceAccount.namespace`, reach: ALL, one: (v) => withIdentity((o) => ({ ...o, serviceAccount: { name: 'probe', namespace: v } })) },
      { name: `${kind} identity role`, reach: ALL, one: (v) => withIdentity((o) => ({ ...o, role: v })) },
      { name: `${kind} identity audience`, reach: ALL, one: (v) => withIdentity((o) => ({ ...o, audience: v })) },
      { name: `${kind} identity tokenTtlSeconds`, reach: ['terraform'], one: (v) => withIdentity((o) => ({ ...o, tokenTtlSeconds: v })) },
      { name: `${kind} identity trust`, reach: ['manifests'], one: (v) => withIdentity((o) => ({ ...o, store: { ...o.store, trust: v } })) },
      { name: `${kind} identity trust.secret.name`, reach: ['manifests'], one: (v) => withIdentity((o) => ({ ...o, store: { ...o.store, trust: { secret: { name: v, namespace: kind === 'ClusterSecretStore' ? 'certs' : undefined } } } })) },
      { name: `${kind} identity trust.configMap.key`, reach: ['manifests'], one: (v) => withIdentity((o) => ({ ...o, store: { ...o.store, trust: { configMap: { name: 'ca', key: v, namespace: kind === 'ClusterSecretStore' ? 'certs' : undefined } } } })) },
      { name: `${kind} identity trust.configMap.namespace`, reach: ['manifests'], one: (v) => withIdentity((o) => ({ ...o, store: { ...o.store, trust: { configMap: { name: 'ca', namespace: v } } } })) },
    ];
  }),
  { name: 'settings.vault.tls.storeTrust', reach: ['manifests'], one: (v) => withVault({ tls: { storeTrust: v } }) },
  ...['region', 'alias', 'iamUserName', 'secretName'].map((option): Field =>
    ({ name: `settings.kms.${option}`, reach: ['manifests', 'terraform'], one: (v) => withSettings({ ...FIXTURE_SETTINGS, kms: { region: 'us-east-1', [option]: v } }) })),
  ...['namespace', 'releaseName', 'storageClass', 'storageSize', 'kubernetesHost', 'kubernetesCaCert', 'kvMaxVersions'].map((option): Field =>
    ({ name: `settings.vault.${option}`, reach: ['manifests', 'terraform'], one: (v) => withVault({ [option]: v }) })),
  { name: 'settings.vault.address', reach: ['manifests', 'terraform'], one: (v) => withSettings({ ...FIXTURE_SETTINGS, components: { vault: false }, vault: { address: v } }) },
  ...['host', 'className', 'tlsSecretName'].map((option): Field =>
    ({ name: `settings.vault.ingress.${option}`, reach: ['manifests'], one: (v) => withVault({ ingress: { host: 'vault.lan', [option]: v } }) })),
  { name: 'settings.vault.ingress.annotations', reach: ['manifests'], many: (vs) => withVault({ ingress: { host: 'vault.lan', annotations: Object.fromEntries(vs.map((v, i) => [`a${i}`, v])) } }) },
  { name: 'settings.vault.tls', reach: ['manifests', 'terraform'], one: (v) => withVault({ tls: { secretName: v } }) },
  ...['project', 'server', 'namespace'].map((option): Field => ({ name: `settings.argocd.${option}`, reach: ['manifests'], one: (v) => withSettings({ ...FIXTURE_SETTINGS, argocd: { [option]: v } }) })),
  { name: 'settings.gitops', reach: ['manifests'], one: (v) => withSettings({ ...FIXTURE_SETTINGS, gitops: v }) },
  { name: 'settings.terraform local path', reach: ['terraform'], one: (v) => withSettings({ ...FIXTURE_SETTINGS, terraform: { stateBackend: { kind: 'local', path: v } } }) },
  // No construct checks the other S3 fields either; the bucket stands for them.
  { name: 'settings.terraform s3 bucket', reach: ['terraform'], one: (v) => withSettings({ ...FIXTURE_SETTINGS, terraform: { stateBackend: { kind: 's3', bucket: v, region: 'us-east-1' } } }) },
];

/** Renders what `reach` names of the (validated) declaration, in memory but for Terraform's JSON; returns the error, or undefined. */
function renderError(declaration: Declaration, reach: readonly Reach[]): string | undefined {
  const outdir = mkdtempSync(join(tmpdir(), 'rules-agree-'));
  try {
    const resolved = resolveDeclaration(declaration);
    if (reach.includes('manifests')) {
      const app = new App({ outdir });
      addEsoCharts(app, resolved);
      componentApplications()(app, resolved);
      assertConstructsValid(app);
      app.charts.forEach((chart) => chart.toJson());
    }
    if (reach.includes('terraform')) {
      const app = new TerraformApp({ outdir, stackTraces: false });
      addTerraformStacks(app, resolved);
      assertConstructsValid(app);
      app.synth();
    }
    if (reach.includes('docs')) renderSecretsDoc(resolved.catalog);
    return undefined;
  } catch (error) {
    return (error as Error).stack ?? String(error);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const isValid = (declaration: Declaration): boolean => validateDeclaration(declaration).length === 0;

describe('the validator and the constructs agree', () => {
  test.each(FIELDS.map((field) => [field.name, field] as const))('%s: what the validator accepts renders', (_name, field) => {
    if ('one' in field) {
      const accepted = HOSTILE.filter((v) => isValid(field.one(v)));
      const refused = accepted.map((v) => [v, renderError(field.one(v), field.reach)]).filter(([, e]) => e !== undefined);
      expect([accepted.length > 0, refused]).toStrictEqual([true, []]);
    } else {
      const accepted = HOSTILE.filter((v) => isValid(field.many([v])));
      expect([accepted.length > 0, renderError(field.many(accepted), field.reach)]).toStrictEqual([true, undefined]);
    }
  });

  test('the probe finds a construct that refuses what the validator accepted', () => {
    // A catalog whose validation is skipped stands in for a validator that accepted too much.
    const declaration = inCatalog(catalog('cluster', { mount: 'home*' }));
    expect(validateDeclaration(declaration).map((issue) => issue.message)).toStrictEqual([
      'mount: mount "home*" must not contain the glob characters "*" or "+", which would widen the generated policies',
    ]);
    const rendered = (): void => {
      const app = new TerraformApp({ outdir: mkdtempSync(join(tmpdir(), 'rules-agree-')), stackTraces: false });
      addTerraformStacks(app, { ...resolveDeclaration(inCatalog(catalog('cluster'))), catalog: declaration.catalog });
    };
    expect(rendered).toThrow('KvV2Mount: path "home*" must not contain the glob characters "*" or "+", which would widen the generated policies');
  });
});
