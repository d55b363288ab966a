import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { type CommittedApplication, chartOf, committedApplications, readYamlDocuments, ROOT } from '../support/charts';
import { fluxHelmReleases, homelabFluxDeclaration, synthFluxTree } from '../support/flux';
import { goTool } from './support/engines';

// Each committed Application's exact valuesObject, rendered by the real helm against the vendored chart
// (what Argo CD does with them), and the rendered objects checked. The values are read from
// manifests/argocd-applications.yaml, not from lib/, so this checks what is applied. The same suites
// run over the HelmReleases of the homelab's Flux tree (the same declaration with gitops 'flux', which
// is not committed), read back from the synthesized files: what helm-controller installs.
const helm = goTool('helm');
if (helm.path === null) process.stderr.write(`helm is not installed, so the helm template suite is skipped: ${helm.reason}\n`);
const suite = helm.path ? describe : describe.skip;

const RELEASES: [string, Record<string, CommittedApplication>][] = [
  ['Argo CD Application', committedApplications()],
  ['Flux HelmRelease', fluxHelmReleases(synthFluxTree(homelabFluxDeclaration()))],
];

/** `helm template` of one release: its release name, namespace, chart and values. */
function render(app: CommittedApplication): any[] {
  const work = mkdtempSync(join(tmpdir(), 'homelab-secrets-helm-'));
  try {
    const values = join(work, 'values.json');
    writeFileSync(values, JSON.stringify(app.values));
    const out = execFileSync(helm.path!, ['template', app.releaseName, chartOf(app).dir, '--namespace', app.namespace, '--values', values], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HELM_CACHE_HOME: join(work, 'cache'), HELM_CONFIG_HOME: join(work, 'config'), HELM_DATA_HOME: join(work, 'data') },
    });
    return YAML.parseAllDocuments(out).map((doc) => doc.toJS()).filter(Boolean);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function only(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, rendered ${found.length}`);
  return found[0];
}

suite.each(RELEASES)('helm template of each %s', (_kind, apps) => {
  test('covers the three components', () => {
    expect(Object.keys(apps).sort()).toStrictEqual(['external-secrets', 'reloader', 'vault']);
  });

  describe('the vault release', () => {
    const values = apps.vault.values as any;
    let objects: any[];
    let sts: any;
    let container: any;
    beforeAll(() => {
      objects = render(apps.vault);
      sts = only(objects, 'StatefulSet');
      container = sts.spec.template.spec.containers.find((c: any) => c.name === 'vault');
    });

    test('renders one standalone server: a single replica reading the standalone config', () => {
      expect(sts.metadata).toMatchObject({ name: 'vault', namespace: 'vault' });
      expect(sts.spec.replicas).toBe(1);
      expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toStrictEqual([]); // HA only
      const config = only(objects, 'ConfigMap', 'vault-config');
      expect(Object.keys(config.data)).toStrictEqual(['extraconfig-from-values.hcl']);
      expect(container.args[0]).toContain('cp /vault/config/extraconfig-from-values.hcl /tmp/storageconfig.hcl;');
      expect(container.env.find((e: any) => e.name === 'VAULT_HA')).toBeUndefined();
    });

    test('configures the awskms seal and file storage, with no credentials in the config', () => {
      const hcl: string = only(objects, 'ConfigMap', 'vault-config').data['extraconfig-from-values.hcl'];
      expect(hcl).toContain('storage "file" {\n  path = "/vault/data"\n}');
      expect(hcl).toMatch(/seal "awskms" \{\n {2}region {5}= "eu-central-1"\n {2}kms_key_id = "alias\/vault-unseal"\n\}/);
      expect(hcl).not.toMatch(/access_key|secret_key|session_token|AKIA|ASIA/);
      expect(hcl.match(/^(storage|seal|ha_storage) "/gm)).toStrictEqual(['storage "', 'seal "']);
    });

    test('takes the KMS key id and AWS credentials from the vault-aws-kms Secret', () => {
      const fromSecret = container.env.filter((e: any) => e.valueFrom?.secretKeyRef);
      expect(fromSecret).toStrictEqual(
        ['VAULT_AWSKMS_SEAL_KEY_ID', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].map((key) => ({
          name: key,
          valueFrom: { secretKeyRef: { name: 'vault-aws-kms', key } },
        })),
      );
      expect(container.env.find((e: any) => e.name === 'VAULT_SEAL_TYPE')).toStrictEqual({ name: 'VAULT_SEAL_TYPE', value: 'awskms' });
      // no credential as a literal value anywhere in the pod
      const literal = container.env.filter((e: any) => /AWS_|KMS/.test(e.name) && 'value' in e);
      expect(literal).toStrictEqual([]);
    });

    test('claims the data volume with the storage class and size of the values', () => {
      expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
      const [claim] = sts.spec.volumeClaimTemplates;
      expect(claim.metadata.name).toBe('data');
      expect(claim.spec.storageClassName).toBe(values.server.dataStorage.storageClass);
      expect(claim.spec.resources.requests.storage).toBe(values.server.dataStorage.size);
      expect([claim.spec.storageClassName, claim.spec.resources.requests.storage]).toStrictEqual(['nfs-client', '10Gi']);
      expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: values.server.dataStorage.mountPath });
    });

    test('has Velero back up volumes that the pod really mounts', () => {
      const annotation: string = sts.spec.template.metadata.annotations['backup.velero.io/backup-volumes'];
      expect(annotation).toBe(values.server.annotations['backup.velero.io/backup-volumes']);
      const podVolumes = [
        ...(sts.spec.template.spec.volumes ?? []).map((v: any) => v.name),
        ...sts.spec.volumeClaimTemplates.map((c: any) => c.metadata.name),
      ];
      const mounted = sts.spec.template.spec.containers.flatMap((c: any) => (c.volumeMounts ?? []).map((m: any) => m.name));
      const named = annotation.split(',').map((v) => v.trim());
      expect(named).toStrictEqual(['data']);
      for (const volume of named) {
        expect(podVolumes).toContain(volume);
        expect(mounted).toContain(volume);
      }
    });
  });

  describe('the external-secrets release', () => {
    let objects: any[];
    beforeAll(() => {
      objects = render(apps['external-secrets']);
    });

    test('runs the controller as the ServiceAccount the committed ClusterSecretStore names', () => {
      const [store] = readYamlDocuments(join(ROOT, 'manifests', 'cluster-secret-store.yaml'));
      const ref = store.spec.provider.vault.auth.kubernetes.serviceAccountRef;
      const controller = only(objects, 'Deployment', 'external-secrets');
      expect({ name: controller.spec.template.spec.serviceAccountName, namespace: controller.metadata.namespace }).toStrictEqual({
        name: ref.name,
        namespace: ref.namespace,
      });
      const account = only(objects, 'ServiceAccount', ref.name);
      expect({ name: account.metadata.name, namespace: account.metadata.namespace }).toStrictEqual({ name: ref.name, namespace: ref.namespace });
    });

    test('installs the ESO CRDs the manifests use, serving v1', () => {
      const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
      for (const name of ['clustersecretstores.external-secrets.io', 'externalsecrets.external-secrets.io']) {
        const crd = crds.find((c) => c.metadata.name === name);
        expect(crd.spec.versions.filter((v: any) => v.served).map((v: any) => v.name)).toStrictEqual(['v1']);
      }
    });
  });

  describe('the reloader release', () => {
    test('runs Reloader with the reload strategy of the values', () => {
      const objects = render(apps.reloader);
      const deployment = only(objects, 'Deployment');
      const [container] = deployment.spec.template.spec.containers;
      const strategy = (apps.reloader.values.reloader as any).reloadStrategy;
      expect(strategy).toBe('annotations');
      expect(container.args.filter((a: string) => a.startsWith('--reload-strategy'))).toStrictEqual([`--reload-strategy=${strategy}`]);
      expect((container.env ?? []).filter((e: any) => /STRATEGY/i.test(e.name))).toStrictEqual([]);
    });
  });
});
