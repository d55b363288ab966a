// `npm run validate` (scripts/validate.mjs) with the real kubeconform, over output the synth writes in
// each isolation mode, and over an object the schemas must refuse.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { componentApplications } from '../../lib/argocd';
import { type Isolation, SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import { FIXTURE_SETTINGS } from '../support/fixtures';
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

function synth(isolation: Isolation | 'identities'): string {
  const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-validate-'));
  const catalog = isolation === 'identities' ? identityFixtureCatalog() : new SecretCatalog({ mount: 'kv', isolation });
  if (isolation !== 'identities') {
    catalog.path('apps/db', ['password']).syncTo({ name: 'db', namespace: 'web' });
    catalog.path('apps/queue', ['url']).syncTo({ name: 'queue', namespace: 'jobs', externalSecretName: 'queue-es', creationPolicy: 'Orphan', deletionPolicy: 'Delete' });
  }
  synthOutputs({ catalog, settings: FIXTURE_SETTINGS }, [manifestsPart(join(root, 'manifests'), [componentApplications()])]);
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
