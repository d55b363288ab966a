import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { Testing } from 'cdktf';
import fc from 'fast-check';
import { componentApplications } from '../../lib/argocd';
import { CatalogValidationError, type Declaration, type PlatformSettings, SecretCatalog, external, generated, oneLine, resolveDeclaration, showValue, validateDeclaration } from '../../lib/catalog';
import { renderSecretsDoc } from '../../lib/docs';
import { FLUX_STAGES, FluxComponentsChart, FluxKustomizationsChart } from '../../lib/flux';
import { addEsoCharts, addExternalSecretCharts, addStoreCharts, manifestsPart } from '../../lib/k8s';
import { assertConstructsValid, synthOutputs } from '../../lib/synth';
import { addTerraformStacks } from '../../lib/tf';
import { crdSchemaErrors } from '../support/crd-schema';
import { esoWebhookViolations } from '../support/eso-webhook';
import { secretViolations } from '../support/kubernetes-secret';

/**
 * Random catalogs and settings, valid and not, with JavaScript's oddities and hostile strings in every
 * field: each is either accepted, and then its manifests pass the CRD schemas, ESO's webhook and the
 * API server's Secret rules (emulated) and its Terraform synthesizes, or refused with one line per
 * issue naming the row, the field and the value, and nothing written. Never a TypeError, a stack
 * trace or "internal error". A fixed seed and 200 runs in `npm test` (about 3 s); HOMELAB_PROPERTY_RUNS=2000 (and
 * HOMELAB_PROPERTY_SEED) for a longer hunt.
 */
const RUNS = Number(process.env.HOMELAB_PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.HOMELAB_PROPERTY_SEED ?? 21);

type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

class Opts {
  constructor(public name = 'x') {}
}

/** A Proxy whose traps throw; fast-check prints it by its own hook, which the library never reads. */
function hostileProxy(): object {
  const show = (): string => 'a Proxy whose traps throw';
  return new Proxy({}, {
    ownKeys: () => { throw new Error('trap'); },
    has: (_target, property) => property === fc.toStringMethod,
    get: (_target, property) => (property === fc.toStringMethod ? show : undefined),
  });
}

/** An object whose getter throws (printed by fast-check through a non-enumerable hook). */
function throwingGetter(): object {
  const made = Object.defineProperty({}, 'name', { get: () => { throw new Error('getter'); }, enumerable: true });
  return Object.defineProperty(made, fc.toStringMethod, { value: () => 'an object whose getter throws', enumerable: false });
}

/** Values JavaScript allows where a string or an object belongs. */
const ODD_VALUES: readonly (() => unknown)[] = [
  () => Symbol('s'), () => NaN, () => Infinity, () => -0, () => 10n, () => null, () => undefined, () => true, () => 42, () => [], () => ({}),
  () => new Opts(), () => hostileProxy(), () => Object.create({ name: 'inherited' }), () => throwingGetter(), () => Object.freeze({ a: 'b' }),
  () => () => 'f', () => new Date(0), () => ['a', 'b'],
];

/** Strings that are syntax somewhere: quotes, templates, line breaks, NUL, invisible characters, very long, key names JavaScript knows. */
const HOSTILE_STRINGS = [
  '', ' ', '"', "'", '\\', '${x}', '%{x}', 'a\nb', 'a\u2028b', 'a\u0000b', '\u202e', '\ud800', 'x'.repeat(300), 'é', '.', '..', '..a', '-', '*', '+', '?', '#', '%',
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'a/b', '/a', 'data', 'A', '0', 'a.b', 'a_b', 'a-b', '@',
];

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const odd = fc.constantFrom(...ODD_VALUES).map((make) => make());
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const keyName = fc.oneof(
  { weight: 20, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/) },
  { weight: 4, arbitrary: fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'tls.crt', 'tls.key', 'username', '.dockerconfigjson') },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', '..a', 'k'.repeat(254)) },
);

/** A value for a field: mostly one that fits, sometimes a hostile string, sometimes an oddity. */
function field<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 40, arbitrary: good }, { weight: 1, arbitrary: hostileString }, { weight: 1, arbitrary: odd });
}

const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof(fc.constant(undefined), arbitrary);
/** Rarely given at all: a field whose every value is a mistake or a rule of its own. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

/** An object with `entries`, built with defineProperty so that `__proto__` stays a key. */
function record(entries: [string, unknown][]): Record<string, unknown> {
  const made: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(made, key, { value, enumerable: true, writable: true, configurable: true });
  return made;
}
const recordOf = (keys: fc.Arbitrary<string>, values: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc.array(fc.tuple(keys, values), { maxLength: 3 }).map(record);

const qualifiedKey = fc.oneof({ weight: 10, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]\/[a-z][a-z0-9_.-]{0,10}[a-z0-9]$/) }, { weight: 10, arbitrary: label }, { weight: 1, arbitrary: hostileString });

interface TargetSpec {
  readonly name: unknown; readonly namespace: unknown; readonly keys?: unknown; readonly renames?: Record<string, unknown>; readonly type?: unknown;
  readonly labels?: unknown; readonly annotations?: unknown; readonly template?: Record<string, unknown>; readonly refreshInterval?: unknown;
  readonly creationPolicy?: unknown; readonly templateMergePolicy?: unknown; readonly wrap: 'plain' | 'odd'; readonly faithful: boolean;
}
const target: fc.Arbitrary<TargetSpec> = fc.record({
  name: field(label), namespace: field(fc.constantFrom('apps', 'web')),
  keys: optional(fc.array(keyName, { minLength: 1, maxLength: 2 })),
  renames: rarely(recordOf(keyName, field(keyName))),
  type: rarely(fc.constantFrom('kubernetes.io/tls', 'kubernetes.io/basic-auth', 'kubernetes.io/dockerconfigjson', 'Opaque', 'a b', '')),
  labels: optional(fc.oneof({ weight: 8, arbitrary: recordOf(qualifiedKey, field(label)) }, { weight: 1, arbitrary: odd })),
  annotations: optional(fc.oneof({ weight: 8, arbitrary: recordOf(qualifiedKey, field(fc.string())) }, { weight: 1, arbitrary: odd })),
  template: rarely(recordOf(keyName, fc.oneof({ weight: 8, arbitrary: fc.constant('{{ .a }}') }, { weight: 1, arbitrary: hostileString }, { weight: 1, arbitrary: odd }))),
  refreshInterval: optional(field(fc.constantFrom('1h', '30m', '2562047h', '2562048h', '0', '1.5h', '9223372036854775808ns', '1.5µs', '2μs'))),
  creationPolicy: optional(field(fc.constantFrom('Owner', 'Orphan', 'Merge'))),
  templateMergePolicy: optional(fc.constantFrom('Replace', 'Merge')),
  wrap: fc.oneof({ weight: 30, arbitrary: fc.constant('plain' as const) }, { weight: 1, arbitrary: fc.constant('odd' as const) }),
  faithful: fc.constantFrom(true, true, true, false),
}, { requiredKeys: ['name', 'namespace', 'wrap', 'faithful'] });

interface PathSpec {
  readonly path: unknown; readonly keys: unknown; readonly origins: boolean; readonly identitiesRead?: unknown; readonly targets: readonly TargetSpec[];
  /** A Secret of every key of the path (`extractAll()`), with this type, in this namespace. */
  readonly extract?: { readonly namespace: string; readonly type?: string };
}
const pathSpec: fc.Arbitrary<PathSpec> = fc.record({
  path: field(fc.stringMatching(/^[a-z]{1,6}\/[a-z0-9][a-z0-9@._-]{0,7}$/)),
  keys: fc.oneof({ weight: 20, arbitrary: fc.uniqueArray(keyName, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 2 }) }),
  origins: fc.boolean(),
  identitiesRead: rarely(field(fc.constantFrom('same-keys', 'whole-path'))),
  targets: fc.array(target, { minLength: 1, maxLength: 2 }),
  extract: rarely(fc.record({ namespace: fc.constantFrom('apps', 'web'), type: optional(fc.constantFrom('kubernetes.io/basic-auth', 'kubernetes.io/tls')) }, { requiredKeys: ['namespace'] })),
});

/** A declared identity that the targets in its namespace read through. */
const identitySpec = fc.record({
  name: field(label),
  kind: field(fc.constantFrom('SecretStore', 'ClusterSecretStore')),
  namespace: fc.constantFrom('apps', 'web'),
  serviceAccount: field(label),
  caKey: optional(field(keyName)),
});

const catalogSpec = fc.record({
  mount: field(fc.constantFrom('kv', 'secrets', 'home.lab')),
  isolation: field(fc.constantFrom('cluster', 'namespace')),
  identity: rarely(identitySpec),
  paths: fc.array(pathSpec, { minLength: 1, maxLength: 3 }),
});

/** The declaration's catalog, as a JavaScript caller would write it. */
function declare(spec: Generated<typeof catalogSpec>): SecretCatalog {
  const catalog = new SecretCatalog({ mount: spec.mount, isolation: spec.isolation } as never);
  const i = spec.identity;
  const identity = i === undefined ? undefined : catalog.identity(i.name as string, {
    store: { kind: i.kind, namespaces: [i.namespace], ...(i.caKey !== undefined ? { trust: { configMap: { name: 'ca', key: i.caKey, ...(i.kind === 'ClusterSecretStore' ? { namespace: 'certs' } : {}) } } } : {}) },
    serviceAccount: { name: i.serviceAccount, ...(i.kind === 'ClusterSecretStore' ? { namespace: 'eso' } : {}) },
  } as never);
  for (const p of spec.paths) {
    const keys = p.keys as string[];
    const origins = p.origins && Array.isArray(keys) && typeof keys[0] === 'string' ? record([[keys[0], generated({ length: 16 })], ...(keys[1] ? [[keys[1], external({ hint: 'a console' })] as [string, unknown]] : [])]) : undefined;
    const declared = catalog.path(p.path as string, keys, { ...(origins ? { origins } : {}), ...(p.identitiesRead !== undefined ? { identitiesRead: p.identitiesRead } : {}) } as never);
    for (const t of p.targets) {
      const { wrap, template, faithful, ...rest } = t;
      const options: Record<string, unknown> = { ...rest };
      if (faithful && Array.isArray(keys)) {
        // keys and renames of the path's own keys, as most callers write them
        const selected = Array.isArray(rest.keys) ? (rest.keys as string[]).filter((k) => keys.includes(k)) : [];
        options.keys = selected.length > 0 ? selected : undefined;
        options.renames = rest.renames === undefined ? undefined
          : record(Object.entries(rest.renames).filter(([k]) => (selected.length > 0 ? selected : keys).includes(k)));
      }
      if (template !== undefined) options.template = () => template;
      if (identity !== undefined && rest.namespace === i!.namespace) options.identity = identity;
      for (const name of Object.keys(options)) if (options[name] === undefined) delete options[name];
      // an options object that is not plain data: a class instance carrying the options
      declared.syncTo((wrap === 'odd' ? Object.assign(new Opts(), options) : options) as never);
    }
    if (p.extract) catalog.addTarget({ name: `all-${catalog.targets.length}`, namespace: p.extract.namespace, sources: [declared.extractAll()], ...(p.extract.type ? { type: p.extract.type } : {}) });
  }
  return catalog;
}

const settingsSpec = fc.record({
  region: rarely(field(fc.constantFrom('eu-central-1', 'us-gov-west-1', 'cn-north-1', 'il-central-1', 'us-isob-east-1', 'xx-east-1'))),
  address: rarely(field(fc.constantFrom('https://vault.lan:8200', 'http://vault.lan:8200', 'https://v\u0000x', 'https://u:p@vault.lan', 'https://vault.lan/?a', 'https://[::1]:8200', 'https://vault.lan:65536'))),
  tlsDisabled: rarely(field(fc.boolean())),
  storageSize: optional(field(fc.constantFrom('5Gi', '0', '0Gi', '500Mi'))),
  ingressAnnotations: rarely(fc.oneof(recordOf(qualifiedKey, field(fc.string())), odd)),
  kvMaxVersions: rarely(field(fc.constantFrom(1, 10, 2 ** 32))),
  bucket: rarely(field(fc.constantFrom('tfstate', 'b', 'Bad_Bucket', 'my.bucket-1'))),
  gitops: optional(field(fc.constantFrom('argocd', 'flux', 'plain'))),
  fluxSource: rarely(field(label)),
});

function settingsOf(spec: Generated<typeof settingsSpec>): PlatformSettings {
  const vault: Record<string, unknown> = { storageClass: 'local-path' };
  if (spec.storageSize !== undefined) vault.storageSize = spec.storageSize;
  if (spec.kvMaxVersions !== undefined) vault.kvMaxVersions = spec.kvMaxVersions;
  if (spec.ingressAnnotations !== undefined) vault.ingress = { host: 'vault.lan', annotations: spec.ingressAnnotations };
  if (spec.address !== undefined) vault.address = spec.address;
  if (spec.tlsDisabled !== undefined) vault.tls = { disabled: spec.tlsDisabled };
  return {
    ...(spec.region !== undefined ? { kms: { region: spec.region } } : {}),
    ...(spec.gitops !== undefined ? { gitops: spec.gitops } : {}),
    ...(spec.gitops === 'flux' && spec.fluxSource !== undefined ? { flux: { sourceRef: { name: spec.fluxSource } } } : {}),
    ...(spec.address !== undefined && spec.gitops !== 'plain' ? { components: { vault: false } } : {}),
    vault,
    ...(spec.bucket !== undefined ? { terraform: { stateBackend: { kind: 's3', bucket: spec.bucket, region: 'eu-central-1' } } } : {}),
  } as PlatformSettings;
}

/** What an accepted declaration renders, in memory, and everything the consumers would refuse of it. */
function renderedRefusals(declaration: Declaration): string[] {
  const resolved = resolveDeclaration(declaration);
  const app = new App({ outdir: tmpdir() });
  addEsoCharts(app, resolved);
  componentApplications()(app, resolved);
  assertConstructsValid(app);
  const declaredKeys = (path: string): readonly string[] => resolved.catalog.paths.find((p) => p.path === path)?.keys ?? [];
  const refusals = app.charts.flatMap((chart) => chart.toJson()).flatMap((object: any) => [
    ...(object.apiVersion.includes('external-secrets.io') || object.apiVersion.includes('argoproj.io') ? crdSchemaErrors(object) : []),
    ...esoWebhookViolations(object),
    ...secretViolations(object, declaredKeys),
  ].map((problem) => `${object.kind} ${object.metadata.name}: ${problem}`));
  if (resolved.settings.gitops === 'flux') {
    const flux = new App({ outdir: tmpdir() });
    new FluxComponentsChart(flux, 'flux-components', { declaration: resolved });
    addStoreCharts(flux, resolved);
    addExternalSecretCharts(flux, resolved);
    new FluxKustomizationsChart(flux, 'flux-kustomizations', {
      declaration: resolved, folderPath: `${resolved.settings.flux.clusterPath}/secrets`, stages: Object.keys(FLUX_STAGES) as (keyof typeof FLUX_STAGES)[],
    });
    assertConstructsValid(flux);
    refusals.push(...flux.charts.flatMap((chart) => chart.toJson()).flatMap((object: any) =>
      (object.apiVersion.includes('toolkit.fluxcd.io') ? crdSchemaErrors(object) : []).map((problem) => `${object.kind} ${object.metadata.name}: ${problem}`)));
  }
  const tf = Testing.app({ stackTraces: false });
  const stacks = addTerraformStacks(tf, resolved);
  assertConstructsValid(tf);
  Testing.synth(stacks.vault);
  if (stacks.kmsUnseal) Testing.synth(stacks.kmsUnseal);
  renderSecretsDoc(resolved.catalog);
  return refusals;
}

/** Why an issue does not read as one clear line naming its row, its field and its value; undefined when it does. */
function unclear(issue: { row: string; field: string; value: unknown; message: string }): string | undefined {
  if (typeof issue.row !== 'string' || issue.row === '' || !issue.message.startsWith(`${oneLine(issue.row)}:`)) return 'no row';
  if (issue.field !== '' && !issue.message.startsWith(`${oneLine(issue.row)}: ${oneLine(issue.field)} ${showValue(issue.value)} `)) return 'no field and value';
  if (/[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u.test(issue.message)) return 'not one line of text';
  if (/TypeError|internal error|\n\s+at /.test(issue.message)) return 'a crash';
  return undefined;
}

describe('random catalogs and settings', () => {
  test('each is accepted with output the consumers take, or refused with one clear line per issue and nothing written', () => {
    const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-properties-'));
    let accepted = 0;
    let refused = 0;
    try {
      fc.assert(fc.property(catalogSpec, settingsSpec, (catalogInput, settingsInput) => {
        const declaration: Declaration = { catalog: declare(catalogInput), settings: settingsOf(settingsInput) };
        const issues = validateDeclaration(declaration);
        if (issues.length === 0) {
          accepted++;
          expect(renderedRefusals(declaration)).toStrictEqual([]);
          return;
        }
        refused++;
        expect(issues.map((issue) => [issue.message, unclear(issue)]).filter(([, why]) => why !== undefined)).toStrictEqual([]);
        // nothing written: the synth validates before it renders or creates anything
        const out = join(root, `out-${refused}`);
        expect(() => synthOutputs(declaration, [manifestsPart(out)])).toThrow(CatalogValidationError);
        expect(existsSync(out)).toBe(false);
      }), { seed: SEED, numRuns: RUNS });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // both kinds of outcome were exercised, each often
    expect([accepted >= RUNS / 20, refused >= RUNS / 20]).toStrictEqual([true, true]);
  });
});
