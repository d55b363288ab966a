// `npm run validate` (scripts/validate.mjs) with the real kubeconform, over output the synth writes in
// each isolation mode and GitOps flavour, and over objects the schemas must refuse.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { componentApplications } from '../../lib/argocd';
import { type Isolation, SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import { FIXTURE_SETTINGS } from '../support/fixtures';
import { FLUX_FOLDER } from '../support/flux';
import { identityFixtureCatalog } from '../support/identity-fixtures';
import { goTool } from './support/engines';

const ROOT = join(__dirname, '..', '..');
const kubeconform = goTool('kubeconform');
const maybe = kubeconform.path ? describe : describe.skip;
if (!kubeconform.path) process.stderr.write(`kubeconform is not installed, so the validate tests are skipped: ${'reason' in kubeconform ? kubeconform.reason : ''}\n`);

function validate(dir: string): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'validate.mjs'), dir], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, KUBECONFORM_BIN: kubeconform.path ?? '' },
  });
  return { code: run.status, out: run.stdout + run.stderr };
}

function synth(isolation: Isolation | 'identities', gitops: 'argocd' | 'flux' = 'argocd'): string {
  const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-validate-'));
  const catalog = isolation === 'identities' ? identityFixtureCatalog() : new SecretCatalog({ mount: 'kv', isolation });
  if (isolation !== 'identities') {
    catalog.path('apps/db', ['password']).syncTo({ name: 'db', namespace: 'web' });
    catalog.path('apps/queue', ['url']).syncTo({ name: 'queue', namespace: 'jobs', externalSecretName: 'queue-es', creationPolicy: 'Orphan', deletionPolicy: 'Delete' });
  }
  // under Flux the folder sits in flux bootstrap's cluster folder, as the synth requires
  const target = gitops === 'flux' ? join(root, 'manifests', 'clusters', 'my-cluster', FLUX_FOLDER) : join(root, 'manifests');
  synthOutputs({ catalog, settings: { ...FIXTURE_SETTINGS, gitops } }, [manifestsPart(target, [componentApplications()])]);
  return root;
}

maybe('npm run validate', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  test('validates every object of cluster-isolation output', () => {
    const root = synth('cluster');
    roots.push(root);
    const result = validate(join(root, 'manifests'));
    expect(result.code).toBe(0);
    expect(result.out).toContain('validate: all 6 objects valid against schemas/ (strict)');
  });

  test('in namespace isolation validates the SecretStores and ExternalSecrets and says it skipped the ServiceAccounts', () => {
    const root = synth('namespace');
    roots.push(root);
    const result = validate(join(root, 'manifests'));
    expect(result.code).toBe(0);
    expect(result.out).toContain('validate: all 7 objects of CRD kinds valid against schemas/ (strict); 2 ServiceAccounts skipped: their schema is Kubernetes\' own, a download');
  });

  test('with identities validates every store and ExternalSecret: several SecretStores in a namespace, two ClusterSecretStores', () => {
    const root = synth('identities');
    roots.push(root);
    const result = validate(join(root, 'manifests'));
    expect(result.code).toBe(0);
    expect(result.out).toContain('validate: all 19 objects of CRD kinds valid against schemas/ (strict); 4 ServiceAccounts skipped: their schema is Kubernetes\' own, a download');
  });

  test('with identities under Flux validates every store and ExternalSecret in the stage folders, and the Flux objects', () => {
    const root = synth('identities', 'flux');
    roots.push(root);
    const result = validate(join(root, 'manifests'));
    expect(result.code).toBe(0);
    // 3 HelmRepositories, 3 HelmReleases, 3 Kustomizations, 2 ClusterSecretStores, 4 SecretStores, 10 ExternalSecrets
    expect(result.out).toContain(
      'validate: all 25 objects of CRD kinds valid against schemas/ (strict); 4 ServiceAccounts skipped: their schema is Kubernetes\' own, a download; 4 kustomization.yaml files skipped: kustomize\'s own kind, checked by test/flux',
    );
  });

  test('validates every Flux object of a Flux tree, and says it skipped the kustomization.yaml files', () => {
    const root = synth('cluster', 'flux');
    roots.push(root);
    const result = validate(join(root, 'manifests'));
    expect(result.code).toBe(0);
    // 3 HelmRepositories, 3 HelmReleases, 3 Kustomizations, the store, 2 ExternalSecrets
    expect(result.out).toContain('validate: all 12 objects of CRD kinds valid against schemas/ (strict); 4 kustomization.yaml files skipped: kustomize\'s own kind, checked by test/flux');
  });

  test('in namespace isolation under Flux skips the ServiceAccounts and the kustomization.yaml files, and says both', () => {
    const root = synth('namespace', 'flux');
    roots.push(root);
    const result = validate(join(root, 'manifests'));
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'validate: all 13 objects of CRD kinds valid against schemas/ (strict); 2 ServiceAccounts skipped: their schema is Kubernetes\' own, a download; 4 kustomization.yaml files skipped: kustomize\'s own kind, checked by test/flux',
    );
  });

  test('without paths validates manifests/ and the homelab\'s Flux tree', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'validate.mjs')], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, KUBECONFORM_BIN: kubeconform.path ?? '' },
    });
    expect(run.status).toBe(0);
    // manifests/: 3 Applications, the store, 15 ExternalSecrets; the Flux tree: 6 components, 3 Kustomizations, the store, 15 ExternalSecrets
    expect(run.stdout).toContain('validate: all 44 objects of CRD kinds valid against schemas/ (strict); 4 kustomization.yaml files skipped: kustomize\'s own kind, checked by test/flux');
  });

  test('refuses a misspelt field of a Flux object', () => {
    const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-validate-'));
    roots.push(root);
    writeFileSync(join(root, 'hr.yaml'), [
      'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata: { name: x, namespace: flux-system }',
      'spec: { interval: 10m, chart: { spec: { chart: x, version: 1.0.0, sourceRef: { kind: HelmRepository, name: x } } }, install: { crd: CreateReplace } }', '',
    ].join('\n'));
    const result = validate(root);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain("at '/spec/install': additional properties 'crd' not allowed");
  });

  test('refuses a misspelt field, strictly', () => {
    const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-validate-'));
    roots.push(root);
    writeFileSync(join(root, 'es.yaml'), [
      'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: { name: x, namespace: y }',
      'spec: { refreshIntervall: 1h, secretStoreRef: { kind: ClusterSecretStore, name: s }, data: [{ secretKey: k, remoteRef: { key: a/b, property: k } }] }', '',
    ].join('\n'));
    const result = validate(root);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('refreshIntervall');
  });
});
