import YAML from 'yaml';
import { homelabDeclaration } from '../../apps/homelab';
import { homelabManifestsPart } from '../../apps/manifests';
import { COMPONENTS_CHART_ID } from '../../lib/argocd';
import { ESO_DEFAULTS } from '../../lib/catalog';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { manifestObjects, synthPartToTree } from '../support/synth';

const WAVE = 'argocd.argoproj.io/sync-wave';

function homelabTree(): Record<string, string> {
  return synthPartToTree(homelabDeclaration(), homelabManifestsPart);
}

/** Every object nested anywhere in `value` (Helm values included) that is a Secret carrying data. */
function secretsWithValues(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    for (const item of value) secretsWithValues(item, found);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.kind === 'Secret' && (record.data !== undefined || record.stringData !== undefined)) found.push(record);
    for (const child of Object.values(record)) secretsWithValues(child, found);
  }
  return found;
}

describe('the homelab\'s component Applications', () => {
  const tree = homelabTree();
  const objects = manifestObjects(tree);

  test('writes the Applications into their own file next to the ESO charts', () => {
    // GIVEN the homelab catalog and component settings
    // WHEN the manifests part renders with the contributor
    // THEN argocd-applications.yaml holds the three Applications
    expect(Object.keys(tree)).toContain(`${COMPONENTS_CHART_ID}.yaml`);
    const applications = YAML.parseAllDocuments(tree[`${COMPONENTS_CHART_ID}.yaml`]).map((d) => d.toJSON());
    expect(applications.map((a) => `${a.kind}/${a.metadata.name}`)).toStrictEqual([
      'Application/vault',
      'Application/external-secrets',
      'Application/reloader',
    ]);
  });

  test('orders the sync: components, then the store, then the ExternalSecrets', () => {
    // GIVEN every object of the manifests folder
    // WHEN grouped by kind and wave
    const waves = new Map<string, Set<string>>();
    for (const object of objects) {
      const kinds = waves.get(object.kind) ?? new Set<string>();
      kinds.add(object.metadata.annotations?.[WAVE]);
      waves.set(object.kind, kinds);
    }

    // THEN each kind sits in exactly its wave
    expect(Object.fromEntries([...waves].map(([kind, set]) => [kind, [...set]]))).toStrictEqual({
      Application: ['-2'],
      ClusterSecretStore: ['-1'],
      ExternalSecret: ['0'],
    });
  });

  test('every object passes the vendored CRD schemas and is its own defaulted form', () => {
    for (const object of objects) {
      expect(crdSchemaErrors(object)).toStrictEqual([]);
      expect(withCrdDefaults(object)).toStrictEqual(object);
    }
  });

  test('installs ESO under the service account the store and the Vault role use', () => {
    const eso = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'external-secrets');
    const store = objects.find((o) => o.kind === 'ClusterSecretStore');
    const account = store.spec.provider.vault.auth.kubernetes.serviceAccountRef;
    expect(eso.spec.source.helm.valuesObject.serviceAccount.name).toStrictEqual(ESO_DEFAULTS.serviceAccountName);
    expect(account).toMatchObject({ name: ESO_DEFAULTS.serviceAccountName, namespace: eso.spec.destination.namespace });
  });

  test('points the store at the Vault the components install, derived from its release and namespace', () => {
    const store = objects.find((o) => o.kind === 'ClusterSecretStore');
    const vault = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'vault');
    expect(store.spec.provider.vault.server).toStrictEqual(`https://${vault.spec.source.helm.releaseName}.${vault.spec.destination.namespace}.svc:8200`);
    expect(store.spec.provider.vault.server).toStrictEqual('https://vault.vault.svc:8200');
    // ESO trusts exactly the CA of the Secret Vault serves its certificate from.
    const tlsVolume = vault.spec.source.helm.valuesObject.server.extraVolumes[0];
    expect(store.spec.provider.vault.caProvider).toStrictEqual({ type: 'Secret', name: tlsVolume.name, namespace: vault.spec.destination.namespace, key: 'ca.crt' });
  });

  test('puts no Secret with values anywhere in the output', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toStrictEqual([]);
    expect(secretsWithValues(objects)).toStrictEqual([]);
  });

  test('yields byte-identical files for the same input', () => {
    expect(homelabTree()).toStrictEqual(tree);
  });
});
