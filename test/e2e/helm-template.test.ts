import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { type CommittedApplication, chartOf, committedApplications, readYamlDocuments, ROOT } from '../support/charts';
import { fluxHelmReleases, homelabFluxDeclaration, synthFluxTree } from '../support/flux';
import { fetchTrusting, freePort, makeCa } from './support/bao-dev-server';
import { engines, goTool } from './support/engines';
import { forEachOutput, mutatedOutput } from './support/outputs';
import { componentApplications } from '../../lib/argocd';
import { manifestsPart } from '../../lib/k8s';
import { fixtureDeclaration } from '../support/fixtures';
import { manifestObjects, synthPartToTree } from '../support/synth';

// Each committed Application's exact valuesObject, rendered by the real helm against the vendored chart
// (what Argo CD does with them), and the rendered objects checked. The values are read from
// manifests/argocd-applications.yaml, not from lib/, so this checks what is applied. The same suites
// run over the HelmReleases of the homelab's Flux tree (the same declaration with gitops 'flux', which
// is not committed), read back from the synthesized files: what helm-controller installs. Under
// `npm run test:mutations` the Applications come from the mutated copy of the homelab's manifests.
const helm = goTool('helm');
if (helm.path === null) process.stderr.write(`helm is not installed, so the helm template suite is skipped: ${helm.reason}\n`);
const suite = helm.path ? describe : describe.skip;

/** The Flux HelmReleases of the homelab's Flux tree (not committed, so never a mutated copy). */
const FLUX_RELEASES = fluxHelmReleases(synthFluxTree(homelabFluxDeclaration()));

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

/** The attributes of the one `listener "tcp"` block of a rendered Vault config, values as written. */
function listenerAttributes(hcl: string): Record<string, string> {
  const blocks = [...hcl.matchAll(/^listener "tcp" \{\n([\s\S]*?)\n\}/gm)];
  if (blocks.length !== 1 || (hcl.match(/^listener\b/gm) ?? []).length !== 1) throw new Error(`expected one listener "tcp" block:\n${hcl}`);
  return Object.fromEntries(blocks[0][1].split('\n').map((line) => {
    const attribute = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!attribute) throw new Error(`listener line does not parse: ${line}`);
    return [attribute[1], attribute[2]];
  }));
}

/**
 * Runs OpenBao with a rendered Vault config, as the pod would: the listener as rendered, with its
 * addresses moved to free loopback ports and the files of `mountPath` (the TLS Secret's volume) taken
 * from `tlsDir`; in-memory storage (OpenBao has no `file` backend), and no seal block (the test has no KMS key).
 * Returns the HTTPS status of /v1/sys/health (trusting exactly `caCert`) and the plain-HTTP answer.
 */
async function runRenderedListener(hcl: string, mountPath: string, tlsDir: string, caCert: string): Promise<{ https: number | string; http: string }> {
  const work = mkdtempSync(join(tmpdir(), 'homelab-secrets-listener-'));
  const [port, clusterPort] = [await freePort(), await freePort()];
  const config = hcl
    .replace(/^seal "[^"]*" \{\n[\s\S]*?\n\}\n?/m, '')
    .replace(/^(\s*address\s*=\s*)"[^"]*"/m, `$1"127.0.0.1:${port}"`)
    .replace(/^(\s*cluster_address\s*=\s*)"[^"]*"/m, `$1"127.0.0.1:${clusterPort}"`)
    .split(`"${mountPath}/`).join(`"${tlsDir}/`)
    .replace(/^storage "file" \{\n[\s\S]*?\n\}/m, 'storage "inmem" {}');
  writeFileSync(join(work, 'server.hcl'), config);
  const child = spawn(engines().baoBin, ['server', `-config=${join(work, 'server.hcl')}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const plain = (): Promise<string> => new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/sys/health' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(`${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`));
    });
    req.on('error', reject);
    req.end();
  });
  try {
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`bao server exited with ${child.exitCode}: ${stderr}`);
      try {
        // Until the listener is up both requests are refused; a TLS error is an answer, a refusal is not yet.
        // Asking HTTPS first and retrying only on a refused connection keeps a server that starts
        // between the two requests from pairing "refused" with a real answer.
        const https = await fetchTrusting(caCert)(`https://127.0.0.1:${port}/v1/sys/health`).then((r) => r.status, (e: any) => {
          const code = String(e.cause?.code ?? e);
          if (code === 'ECONNREFUSED' || code === 'ECONNRESET') throw e;
          return code;
        });
        return { https, http: await plain() };
      } catch (error) {
        if (attempt > 300) throw new Error(`the rendered listener never answered: ${String(error)} ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
    rmSync(work, { recursive: true, force: true });
  }
}

function only(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, rendered ${found.length}`);
  return found[0];
}

// Found by the sweep: with a release name without "vault" in it the chart named its Service and
// StatefulSet "<release>-vault", while the stores point at "<release>.<namespace>.svc" and rebuild execs
// into "<release>-0".
suite('helm template of a Vault release named otherwise', () => {
  test('names its Service and StatefulSet after the release, as the store\'s address and rebuild say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-bao-'));
    try {
      const settings = { kms: { region: 'us-east-1' }, vault: { namespace: 'secrets', releaseName: 'bao' } };
      const tree = synthPartToTree(fixtureDeclaration(undefined, settings), (target) => manifestsPart(target, [componentApplications()]));
      for (const [file, content] of Object.entries(tree)) writeFileSync(join(dir, file), content);
      const store = manifestObjects(tree).find((o) => o.kind === 'ClusterSecretStore');
      const objects = render(Object.values(committedApplications(dir)).find((app) => app.chart === 'vault')!);
      expect(new URL(store.spec.provider.vault.server).host).toBe('bao.secrets.svc:8200');
      expect(only(objects, 'Service', 'bao').spec.ports.map((p: any) => p.port)).toContain(8200);
      expect(only(objects, 'StatefulSet').metadata.name).toBe('bao');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

forEachOutput((root) => {
  const releases: [string, Record<string, CommittedApplication>][] = [
    ['Argo CD Application', committedApplications(mutatedOutput('homelab', root)?.manifestsDir)],
    ['Flux HelmRelease', FLUX_RELEASES],
  ];

  suite.each(releases)('helm template of each %s', (_kind, apps) => {
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

      test('serves only TLS: the rendered listener, run by OpenBao, answers HTTPS with the TLS Secret\'s files and refuses plain HTTP', async () => {
        // GIVEN the listener as rendered: TLS on, its files in the vault-tls Secret's volume
        const hcl: string = only(objects, 'ConfigMap', 'vault-config').data['extraconfig-from-values.hcl'];
        const listener = listenerAttributes(hcl);
        expect(listener).toStrictEqual({
          address: '"[::]:8200"',
          cluster_address: '"[::]:8201"',
          tls_disable: 'false',
          tls_cert_file: '"/vault/userconfig/vault-tls/tls.crt"',
          tls_key_file: '"/vault/userconfig/vault-tls/tls.key"',
        });
        const mount = container.volumeMounts.find((m: any) => JSON.parse(listener.tls_cert_file).startsWith(`${m.mountPath}/`));
        const volume = sts.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
        expect([mount.mountPath, volume.secret.secretName, JSON.parse(listener.tls_key_file).startsWith(`${mount.mountPath}/`)]).toStrictEqual(['/vault/userconfig/vault-tls', 'vault-tls', true]);
        // The chart's own switch: the pod's CLI and the API address it announces are https.
        const env = Object.fromEntries(container.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
        expect([env.VAULT_ADDR, env.VAULT_API_ADDR, env.VAULT_CACERT]).toStrictEqual(['https://127.0.0.1:8200', 'https://$(POD_IP):8200', '/vault/userconfig/vault-tls/ca.crt']);

        // WHEN OpenBao runs it with a certificate in the Secret's layout (tls.crt, tls.key, ca.crt)
        const tls = mkdtempSync(join(tmpdir(), 'homelab-secrets-vault-tls-'));
        try {
          const ca = makeCa(tls, 'vault', 'IP:127.0.0.1,DNS:vault.vault.svc');
          mkdirSync(join(tls, 'secret'));
          copyFileSync(ca.certFile!, join(tls, 'secret', 'tls.crt'));
          copyFileSync(ca.keyFile!, join(tls, 'secret', 'tls.key'));
          copyFileSync(ca.caFile, join(tls, 'secret', 'ca.crt'));
          const answers = await runRenderedListener(hcl, mount.mountPath, join(tls, 'secret'), readFileSync(ca.caFile, 'utf8'));

          // THEN HTTPS answers (501: not initialised yet), and plain HTTP is refused by the TLS listener
          expect(answers).toStrictEqual({ https: 501, http: '400 Client sent an HTTP request to an HTTPS server.\n' });
        } finally {
          rmSync(tls, { recursive: true, force: true });
        }
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
});
