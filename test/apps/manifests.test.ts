import { join } from 'node:path';
import { homelabDeclaration } from '../../apps/homelab';
import { HOMELAB_MANIFESTS_DIR, homelabManifestsPart } from '../../apps/manifests';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { esoWebhookViolations } from '../support/eso-webhook';
import { manifestObjects, readTree, synthPartToTree } from '../support/synth';

/** The homelab's path table, as the foundation issue states it. */
const TABLE: readonly [path: string, secret: string, namespace: string, policy: 'Owner' | 'Merge'][] = [
  ['infrastructure/minio', 'minio-credentials', 'backups', 'Owner'],
  ['infrastructure/velero', 'velero-cloud-credentials', 'backups', 'Owner'],
  ['infrastructure/authentik', 'authentik-credentials', 'auth', 'Owner'],
  ['infrastructure/argocd-oidc', 'argocd-secret', 'argocd', 'Merge'],
  ['infrastructure/argocd-notifications-slack', 'argocd-notifications-secret', 'argocd', 'Merge'],
  ['infrastructure/grafana', 'grafana-admin', 'monitoring', 'Owner'],
  ['infrastructure/grafana-oidc', 'grafana-oidc-secret', 'monitoring', 'Owner'],
  ['infrastructure/alertmanager-slack', 'alertmanager-slack-webhook', 'monitoring', 'Owner'],
  ['apps/vpn', 'vpn-credentials', 'arr', 'Owner'],
  ['apps/recyclarr', 'recyclarr-secrets', 'arr', 'Owner'],
  ['apps/exportarr', 'exportarr-secrets', 'arr', 'Owner'],
  ['apps/unpackerr', 'unpackerr-secrets', 'arr', 'Owner'],
  ['apps/homepage', 'homepage-secrets', 'arr', 'Owner'],
  ['apps/openclaw', 'openclaw-secrets', 'openclaw', 'Owner'],
  ['apps/openclaw', 'alertmanager-openclaw-hooks-token', 'monitoring', 'Owner'],
];

const synthHomelab = (): Record<string, string> => synthPartToTree(homelabDeclaration(), homelabManifestsPart);

describe('the homelab manifests', () => {
  const tree = synthHomelab();
  const objects = manifestObjects(tree);
  const externalSecrets = objects.filter((o) => o.kind === 'ExternalSecret');

  test('hold one ClusterSecretStore and one ExternalSecret per row of the table', () => {
    expect(objects.filter((o) => o.kind === 'ClusterSecretStore').map((o) => o.metadata.name)).toStrictEqual(['vault-backend']);
    const rows = externalSecrets.map((es) => [
      es.spec.data[0].remoteRef.key,
      es.spec.target.name,
      es.metadata.namespace,
      es.spec.target.creationPolicy,
    ]);
    expect([...rows].sort()).toStrictEqual([...TABLE].map((r) => [...r]).sort());
    expect(externalSecrets.every((es) => es.metadata.name === es.spec.target.name)).toBe(true);
  });

  test('write one file per namespace plus the store, with fixed names', () => {
    expect(Object.keys(tree).filter((f) => f.startsWith('externalsecrets-') || f.startsWith('cluster-'))).toStrictEqual([
      'cluster-secret-store.yaml',
      'externalsecrets-argocd.yaml',
      'externalsecrets-arr.yaml',
      'externalsecrets-auth.yaml',
      'externalsecrets-backups.yaml',
      'externalsecrets-monitoring.yaml',
      'externalsecrets-openclaw.yaml',
    ]);
  });

  test('every object passes its CRD schema, ESO\'s webhook rules, and shows no Argo CD diff after defaulting', () => {
    expect([...new Set(objects.map((o) => `${o.apiVersion} ${o.kind}`))].sort()).toStrictEqual([
      'argoproj.io/v1alpha1 Application',
      'external-secrets.io/v1 ClusterSecretStore',
      'external-secrets.io/v1 ExternalSecret',
    ]);
    for (const object of objects) {
      const name = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      expect([name, crdSchemaErrors(object)]).toStrictEqual([name, []]);
      expect([name, esoWebhookViolations(object)]).toStrictEqual([name, []]);
      expect(withCrdDefaults(object)).toStrictEqual(object);
    }
  });

  test('sync Vault, ESO and Reloader first, then the store, then the ExternalSecrets', () => {
    const wave = (o: any): number => Number(o.metadata.annotations['argocd.argoproj.io/sync-wave']);
    const waves = (kind: string): number[] => [...new Set(objects.filter((o) => o.kind === kind).map(wave))];
    expect(objects.filter((o) => o.kind === 'Application').map((o) => o.metadata.name)).toStrictEqual(['vault', 'external-secrets', 'reloader']);
    expect([waves('Application'), waves('ClusterSecretStore'), waves('ExternalSecret')]).toStrictEqual([[-2], [-1], [0]]);
  });

  test('contain no Secret and no value', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toStrictEqual([]);
    expect(Object.values(tree).join('\n')).not.toMatch(/^\s*(stringData|data):\s*\n\s+[A-Za-z_.-]+:\s*\S/m);
  });

  test('are byte-identical on a second synth', () => {
    expect(synthHomelab()).toStrictEqual(tree);
  });

  test('equal what is committed in manifests/ (CI also checks this with a fresh synth)', () => {
    expect(readTree(join(__dirname, '..', '..', HOMELAB_MANIFESTS_DIR))).toStrictEqual(tree);
  });
});
