import { tmpdir } from 'node:os';
import { App } from 'cdk8s';
import { Testing } from 'cdktf';
import { componentApplications } from '../../lib/argocd';
import { CatalogValidationError, type Declaration, type PlatformSettings, type ResolvedDeclaration, SecretCatalog, resolveDeclaration, validateDeclaration } from '../../lib/catalog';
import { renderSecretsDoc } from '../../lib/docs';
import { FLUX_STAGES, FluxComponentsChart, FluxKustomizationsChart } from '../../lib/flux';
import { addEsoCharts, addExternalSecretCharts, addStoreCharts } from '../../lib/k8s';
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
  // issue 21's: Secret keys Kubernetes refuses, names JavaScript knows, Go's duration range, empty
  // volumes, AWS partitions, addresses with credentials, a query or a NUL, lone surrogates, typed
  // Secrets, JavaScript's own numbers, and the path and mount character set
  '.', '..', '..a', 'k'.repeat(254), 'constructor', '__proto__', 'toString', '2562047h', '2562048h', '0Gi', '0.5Gi', 'us-gov-west-1', 'cn-north-1', 'xx-east-1',
  'https://u:p@x', 'https://x/?q', 'https://v\u0000x', 'https://x:65536', 'x\ud800', 'kubernetes.io/tls', 'kubernetes.io/basic-auth', 'a%b', 'a:b', 'Kv',
  NaN, -0, Infinity, 2 ** 32, 'same-keys', 'whole-path',
  // found by the sweep: a release name past Helm's and the StatefulSet's limits
  'v'.repeat(52), 'v'.repeat(53),
];

/**
 * What a field reaches: the manifests (with the components' Applications), the Flux tree (the
 * components' HelmReleases, the stage folders and their Kustomizations, under gitops 'flux'), the
 * Terraform, the docs.
 */
type Reach = 'manifests' | 'flux' | 'terraform' | 'docs';
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

/** Settings without a KMS key: no KMS stack to render for the fields that do not reach it. */
const NO_KMS: PlatformSettings = { vault: FIXTURE_SETTINGS.vault };
const withSettings = (settings: PlatformSettings): Declaration => ({ catalog: catalog('cluster'), settings });
const withVault = (vault: object): Declaration => withSettings({ ...NO_KMS, vault: { ...NO_KMS.vault, ...vault } });
const inCatalog = (c: SecretCatalog): Declaration => ({ catalog: c, settings: NO_KMS });
/** Under gitops 'flux', with the KMS key, so that the Vault HelmRelease carries the seal. */
const FLUX: PlatformSettings = { ...FIXTURE_SETTINGS, gitops: 'flux' };
const withFlux = (flux: object): Declaration => withSettings({ ...FLUX, flux });

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
    { name: `${isolation}: template value`, reach: ALL, many: (vs) => targets(isolation, 'template')(vs.map((v) => () => ({ out: v }))) },
    { name: `${isolation}: rename`, reach: ALL, many: (vs) => inCatalog(catalog(isolation, {}, (c) => vs.forEach((v, i) => c.path(`renames/${i}`, ['k']).syncTo({ name: `r-${i}`, namespace: 'apps', renames: { k: v } } as never)))) },
    { name: `${isolation}: type with the keys the target provides`, reach: ALL, many: (vs) => inCatalog(catalog(isolation, {}, (c) => vs.forEach((v, i) => {
      c.path(`typed/${i}`, ['tls.crt', 'username']).syncTo({ name: `t-${i}`, namespace: 'apps', type: v } as never);
    }))) },
    { name: `${isolation}: identitiesRead of a path two namespaces read`, reach: ALL, one: (v) => inCatalog(catalog(isolation, {}, (c) => {
      const shared = c.path('shared/x', ['a', 'b'], { identitiesRead: v } as never);
      shared.syncTo({ name: 'one', namespace: 'apps', keys: ['a'] });
      shared.syncTo({ name: 'two', namespace: 'web' });
    })) },
    ...['storeName', 'authMountPath', 'role', 'audience', 'serviceAccountName', 'serviceAccountNamespace'].map((option): Field =>
      ({ name: `${isolation}: eso.${option}`, reach: ALL, one: (v) => inCatalog(catalog(isolation, { eso: { [option]: v }, vaultRole: { audience: option === 'audience' ? v : undefined } })) })),
    { name: `${isolation}: vaultRole.tokenTtlSeconds`, reach: ['terraform'], one: (v) => inCatalog(catalog(isolation, { vaultRole: { tokenTtlSeconds: v } })) },
  ]),
  ...(['SecretStore', 'ClusterSecretStore'] as const).flatMap((kind): Field[] => {
    /**
     * One declared identity of `kind` per value, each with `change` applied, in a namespace of its own
     * (`ns-<i>`), named `probe-<i>`, read through by the target `x` of that namespace.
     */
    const withIdentities = (values: readonly unknown[], change: (options: any, v: any) => any, at: (v: any, i: number) => { name?: string; namespace?: string } = () => ({})) =>
      inCatalog(catalog('cluster', {}, (c) => values.forEach((v, i) => {
        const { name = `probe-${i}`, namespace = `ns-${i}` } = at(v, i);
        const base = { store: { kind, namespaces: [namespace] }, ...(kind === 'ClusterSecretStore' ? { serviceAccount: { name: 'probe', namespace: 'eso' } } : {}) };
        c.path(`apps/probe-${i}`, ['k']).syncTo({ name: 'x', namespace, identity: c.identity(name, change(base, v)) } as never);
      })));
    const field = (name: string, reach: readonly Reach[], change: (options: any, v: any) => any, at?: (v: any, i: number) => { name?: string; namespace?: string }): Field =>
      ({ name: `${kind} identity ${name}`, reach, many: (vs) => withIdentities(vs, change, at) });
    const trust = (t: (v: any) => object) => (o: any, v: any) => ({ ...o, store: { ...o.store, trust: t(v) } });
    const caNamespace = kind === 'ClusterSecretStore' ? 'certs' : undefined;
    return [
      field('name', ALL, (o) => o, (v) => ({ name: v })),
      field('store.name', ALL, (o, v) => ({ ...o, store: { ...o.store, name: v } })),
      field('store namespace', ALL, (o) => o, (v) => ({ namespace: v })),
      field('serviceAccount.name', ALL, (o, v) => ({ ...o, serviceAccount: { ...o.serviceAccount, name: v } })),
      field('serviceAccount.namespace', ALL, (o, v) => ({ ...o, serviceAccount: { name: 'probe', namespace: v } })),
      field('role', ALL, (o, v) => ({ ...o, role: v })),
      field('audience', ALL, (o, v) => ({ ...o, audience: v })),
      field('tokenTtlSeconds', ['terraform'], (o, v) => ({ ...o, tokenTtlSeconds: v })),
      field('trust', ['manifests'], trust((v) => v)),
      field('trust.secret.name', ['manifests'], trust((v) => ({ secret: { name: v, namespace: caNamespace } }))),
      field('trust.configMap.key', ['manifests'], trust((v) => ({ configMap: { name: 'ca', key: v, namespace: caNamespace } }))),
      field('trust.configMap.namespace', ['manifests'], trust((v) => ({ configMap: { name: 'ca', namespace: v } }))),
    ];
  }),
  { name: 'settings.vault.tls.storeTrust', reach: ['manifests'], one: (v) => withVault({ tls: { storeTrust: v } }) },
  ...['region', 'alias', 'iamUserName', 'secretName'].map((option): Field =>
    ({ name: `settings.kms.${option}`, reach: ['manifests', 'terraform'], one: (v) => withSettings({ ...NO_KMS, kms: { region: 'us-east-1', [option]: v } }) })),
  ...['namespace', 'releaseName', 'storageClass', 'storageSize', 'kubernetesHost', 'kubernetesCaCert', 'kvMaxVersions'].map((option): Field =>
    ({ name: `settings.vault.${option}`, reach: ['manifests', 'terraform'], one: (v) => withVault({ [option]: v }) })),
  { name: 'settings.vault.address', reach: ['manifests', 'terraform'], one: (v) => withSettings({ ...NO_KMS, components: { vault: false }, vault: { address: v } }) },
  ...['host', 'className', 'tlsSecretName'].map((option): Field =>
    ({ name: `settings.vault.ingress.${option}`, reach: ['manifests'], one: (v) => withVault({ ingress: { host: 'vault.lan', [option]: v } }) })),
  { name: 'settings.vault.ingress.annotations', reach: ['manifests'], many: (vs) => withVault({ ingress: { host: 'vault.lan', annotations: Object.fromEntries(vs.map((v, i) => [`a${i}`, v])) } }) },
  { name: 'settings.vault.ingress.annotations keys', reach: ['manifests', 'flux'], many: (vs) => withSettings({ ...FLUX, vault: { ...FLUX.vault, ingress: { host: 'vault.lan', annotations: Object.fromEntries(vs.map((v) => [String(v), 'x'])) } } }) },
  { name: 'settings.vault.tls', reach: ['manifests', 'terraform'], one: (v) => withVault({ tls: { secretName: v } }) },
  ...['project', 'server', 'namespace'].map((option): Field => ({ name: `settings.argocd.${option}`, reach: ['manifests'], one: (v) => withSettings({ ...NO_KMS, argocd: { [option]: v } }) })),
  { name: 'settings.gitops', reach: ['manifests'], one: (v) => withSettings({ ...NO_KMS, gitops: v }) },
  ...['namespace', 'clusterPath'].map((option): Field => ({ name: `settings.flux.${option}`, reach: ['flux'], one: (v) => withFlux({ [option]: v }) })),
  ...['kind', 'name', 'namespace'].map((option): Field => ({ name: `settings.flux.sourceRef.${option}`, reach: ['flux'], one: (v) => withFlux({ sourceRef: { [option]: v } }) })),
  // What the components' HelmReleases are derived from, under Flux.
  ...['namespace', 'releaseName', 'storageClass', 'storageSize', 'tls'].map((option): Field =>
    ({ name: `flux: settings.vault.${option}`, reach: ['flux'], one: (v) => withSettings({ ...FLUX, vault: { ...FLUX.vault, [option]: option === 'tls' ? { secretName: v } : v } }) })),
  ...['region', 'alias', 'secretName'].map((option): Field =>
    ({ name: `flux: settings.kms.${option}`, reach: ['flux'], one: (v) => withSettings({ ...FLUX, kms: { region: 'us-east-1', [option]: v } }) })),
  ...['serviceAccountName', 'serviceAccountNamespace'].map((option): Field =>
    ({ name: `flux: eso.${option}`, reach: ['flux'], one: (v) => ({ catalog: catalog('namespace', { eso: { [option]: v } }), settings: FLUX }) })),
  // The state backend's strings reach the Terraform JSON boundary, which refuses what Terraform reads as written.
  { name: 'settings.terraform.stateBackend local path', reach: ['terraform'], one: (v) => withSettings({ ...NO_KMS, terraform: { stateBackend: { kind: 'local', path: v } } }) },
  ...['bucket', 'keyPrefix', 'dynamodbTable'].map((option): Field =>
    ({ name: `settings.terraform.stateBackend s3 ${option}`, reach: ['terraform'], one: (v) => withSettings({ ...NO_KMS, terraform: { stateBackend: { kind: 's3', bucket: 'tfstate', region: 'eu-central-1', [option]: v } } }) })),
  { name: 'settings.vault.operatorCanDestroy', reach: ['terraform'], one: (v) => withVault({ operatorCanDestroy: v }) },
];

/** Renders what `reach` names of the resolved declaration, all in memory; returns the error, or undefined. */
function renderError(resolved: ResolvedDeclaration, reach: readonly Reach[]): string | undefined {
  try {
    if (reach.includes('manifests')) {
      const app = new App({ outdir: tmpdir() });
      addEsoCharts(app, resolved);
      componentApplications()(app, resolved);
      assertConstructsValid(app);
      app.charts.forEach((chart) => chart.toJson());
    }
    if (reach.includes('flux')) {
      const app = new App({ outdir: tmpdir() });
      new FluxComponentsChart(app, 'flux-components', { declaration: resolved });
      addStoreCharts(app, resolved);
      addExternalSecretCharts(app, resolved);
      new FluxKustomizationsChart(app, 'flux-kustomizations', {
        declaration: resolved, folderPath: `${resolved.settings.flux.clusterPath}/secrets`, stages: Object.keys(FLUX_STAGES) as (keyof typeof FLUX_STAGES)[],
      });
      assertConstructsValid(app);
      app.charts.forEach((chart) => chart.toJson());
    }
    if (reach.includes('terraform')) {
      const app = Testing.app({ stackTraces: false });
      const stacks = addTerraformStacks(app, resolved);
      assertConstructsValid(app);
      Testing.synth(stacks.vault);
      if (stacks.kmsUnseal) Testing.synth(stacks.kmsUnseal);
    }
    if (reach.includes('docs')) renderSecretsDoc(resolved.catalog);
    return undefined;
  } catch (error) {
    return (error as Error).stack ?? String(error);
  }
}

/** The declaration resolved, or undefined when the validator refuses it (the only error expected here). */
function accepted(declaration: Declaration): ResolvedDeclaration | undefined {
  try {
    return resolveDeclaration(declaration);
  } catch (error) {
    if (error instanceof CatalogValidationError) return undefined;
    throw error;
  }
}

describe('the validator and the constructs agree', () => {
  test.each(FIELDS.map((field) => [field.name, field] as const))('%s: what the validator accepts renders', (_name, field) => {
    if ('one' in field) {
      const resolved = HOSTILE.map((v) => [v, accepted(field.one(v))] as const).filter(([, r]) => r !== undefined);
      const refused = resolved.map(([v, r]) => [v, renderError(r!, field.reach)]).filter(([, e]) => e !== undefined);
      expect([resolved.length > 0, refused]).toStrictEqual([true, []]);
    } else {
      const values = HOSTILE.filter((v) => validateDeclaration(field.many([v])).length === 0);
      const all = accepted(field.many(values));
      expect([values.length > 0, all === undefined ? 'refused together' : renderError(all, field.reach)]).toStrictEqual([true, undefined]);
    }
  });

  test('the probe finds a construct that refuses what the validator accepted', () => {
    // A catalog whose validation is skipped stands in for a validator that accepted too much.
    const declaration = inCatalog(catalog('cluster', { mount: 'home*' }));
    expect(validateDeclaration(declaration).map((issue) => issue.message)).toStrictEqual([
      'mount: mount "home*" must not contain the glob characters "*" or "+", which would widen the generated policies',
    ]);
    const rendered = (): void => void addTerraformStacks(Testing.app(), { ...resolveDeclaration(inCatalog(catalog('cluster'))), catalog: declaration.catalog });
    expect(rendered).toThrow('KvV2Mount: path "home*" must not contain the glob characters "*" or "+", which would widen the generated policies');
  });
});
