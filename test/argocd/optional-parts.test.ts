import YAML from 'yaml';
import { COMPONENTS_CHART_ID, componentApplications, renderComponentTable } from '../../lib/argocd';
import { type PlatformSettings, resolveDeclaration, validateDeclaration } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { terraformPart } from '../../lib/tf';
import { FIXTURE_SETTINGS, fixtureCatalog, fixtureDeclaration, resolvedFixture } from '../support/fixtures';
import { synthFluxTree } from '../support/flux';
import { synthPartToTree } from '../support/synth';

function manifests(settings: PlatformSettings): Record<string, string> {
  return synthPartToTree(fixtureDeclaration(undefined, settings), (t) => manifestsPart(t, [componentApplications()]));
}

function applications(settings: PlatformSettings): any[] {
  const file = manifests(settings)[`${COMPONENTS_CHART_ID}.yaml`];
  return file === undefined ? [] : YAML.parseAllDocuments(file).map((d) => d.toJSON());
}

describe('optional parts', () => {
  test('each component can be left out, which removes exactly its Application', () => {
    expect(applications({ ...FIXTURE_SETTINGS, components: { reloader: false } }).map((a) => a.metadata.name)).toStrictEqual(['vault', 'external-secrets']);
    expect(applications({ ...FIXTURE_SETTINGS, components: { externalSecrets: false } }).map((a) => a.metadata.name)).toStrictEqual(['vault', 'reloader']);
    expect(applications({ ...FIXTURE_SETTINGS, components: { vault: false } }).map((a) => a.metadata.name)).toStrictEqual(['external-secrets', 'reloader']);
  });

  test('with no component there is no Applications file at all', () => {
    const tree = manifests({ ...FIXTURE_SETTINGS, components: { vault: false, externalSecrets: false, reloader: false } });
    expect(Object.keys(tree)).toStrictEqual(['cluster-secret-store.yaml', 'externalsecrets-apps.yaml', 'externalsecrets-portal.yaml']);
  });

  test('the component table lists only the installed components', () => {
    const table = renderComponentTable(resolvedFixture(undefined, { ...FIXTURE_SETTINGS, components: { vault: false, reloader: false } }));
    expect(table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Component')).map((l) => l.split(' | ')[0])).toStrictEqual(['| External Secrets Operator']);
  });

  test('without a KMS key: no KMS stack, and a Vault with no awskms seal and no KMS Secret', () => {
    // GIVEN settings without kms
    const settings: PlatformSettings = { vault: FIXTURE_SETTINGS.vault };

    // WHEN
    const tf = synthPartToTree(fixtureDeclaration(undefined, settings), terraformPart);
    const [vault] = applications(settings);
    const values = vault.spec.source.helm.valuesObject;

    // THEN
    expect(Object.keys(tf)).toStrictEqual(['manifest.json', 'stacks/vault/cdk.tf.json']);
    expect(values.server.standalone.config).not.toContain('seal');
    expect(values.server.extraSecretEnvironmentVars).toBeUndefined();
    expect(values.server.extraEnvironmentVars).toStrictEqual({ VAULT_CACERT: '/vault/userconfig/vault-tls/ca.crt' });
    expect(JSON.stringify(values)).not.toContain('vault-aws-kms');
  });

  test('a Vault outside the cluster: the store uses its address, and the Vault Application must be left out', () => {
    // GIVEN
    const outside: PlatformSettings = { ...FIXTURE_SETTINGS, components: { vault: false }, vault: { address: 'https://vault.lan:8200', namespace: 'eso-ca' } };

    // WHEN
    const resolved = resolveDeclaration(fixtureDeclaration(undefined, outside));

    // THEN the store reaches that address and trusts the CA Secret named like an in-cluster one's
    expect([resolved.identities[0].server, resolved.identities[0].caProvider, resolved.settings.vault.external]).toStrictEqual([
      'https://vault.lan:8200', { type: 'Secret', name: 'vault-tls', namespace: 'eso-ca', key: 'ca.crt' }, true,
    ]);
    expect(resolveDeclaration(fixtureDeclaration(undefined, { ...outside, vault: { address: 'http://vault.lan:8200', tls: { disabled: true } } })).identities[0].caProvider).toBeUndefined();
    expect(validateDeclaration(fixtureDeclaration(fixtureCatalog(), { ...FIXTURE_SETTINGS, vault: { address: 'https://vault.lan:8200' } })).map((i) => i.message)).toStrictEqual([
      'settings.vault: address "https://vault.lan:8200" names a Vault outside the cluster, but the Vault component installs one inside it: set components: { vault: false }, or remove address',
    ]);
  });

  test('under Flux the components are installed (as HelmReleases, not Applications); under plain none, and asking for one is refused', () => {
    expect(resolvedFixture(undefined, { ...FIXTURE_SETTINGS, gitops: 'flux' }).settings.components).toStrictEqual({ vault: true, externalSecrets: true, reloader: true });
    expect(Object.values(synthFluxTree(fixtureDeclaration(undefined, { ...FIXTURE_SETTINGS, gitops: 'flux' }), [componentApplications()])).join('\n')).not.toContain('argoproj.io');
    expect(resolvedFixture(undefined, { ...FIXTURE_SETTINGS, gitops: 'flux', components: { reloader: true, vault: false } }).settings.components).toStrictEqual({ vault: false, externalSecrets: true, reloader: true });
    expect(resolvedFixture(undefined, { ...FIXTURE_SETTINGS, gitops: 'plain' }).settings.components).toStrictEqual({ vault: false, externalSecrets: false, reloader: false });
    expect(validateDeclaration(fixtureDeclaration(undefined, { ...FIXTURE_SETTINGS, gitops: 'plain', components: { reloader: true } })).map((i) => i.message)).toStrictEqual([
      'settings.components: reloader true installs a component, which gitops "plain" does not: install it with your own tool (helm) and remove this, or use gitops "argocd" or "flux"',
    ]);
    expect(validateDeclaration(fixtureDeclaration(undefined, { ...FIXTURE_SETTINGS, gitops: 'flux', vault: { address: 'https://vault.lan:8200' } })).map((i) => i.message)).toStrictEqual([
      'settings.vault: address "https://vault.lan:8200" names a Vault outside the cluster, but the Vault component installs one inside it: set components: { vault: false }, or remove address',
    ]);
    expect(validateDeclaration(fixtureDeclaration(undefined, { ...FIXTURE_SETTINGS, gitops: 'kustomize' as any })).map((i) => i.message)).toStrictEqual([
      'settings: gitops "kustomize" must be "argocd", "flux" or "plain"',
    ]);
  });
});
