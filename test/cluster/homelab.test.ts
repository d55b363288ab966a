// The committed manifests/ and the synthesized Vault stack, unmodified, on a real cluster: kube-apiserver
// and etcd, the ESO v2.9.0 controller, Reloader and OpenBao (test/cluster/support/cluster.ts). Values
// are seeded over stdin only and compared by digest, so that no assertion prints one.
import { join } from 'node:path';
import { homelabCatalog } from '../../apps/homelab';
import { RELOADER_STRATEGY } from '../../lib/components';
import type { SyncTarget } from '../../lib/catalog';
import { EXIT } from '../../lib/cli';
import { targetSecretKeys } from '../../lib/workloads';
import { forEachOutput } from '../e2e/support/outputs';
import { runClusterCli } from './support/cli';
import { Cluster, SharedCluster } from './support/cluster';
import { ARGO_CD_OWN_SECRETS, type HomelabOutput, RELOADED_FROM, applyHomelab, homelabOutput } from './support/homelab';
import { conditionOf, externalSecretsPath, fingerprints, manifestFiles, objectsOf, readSecret } from './support/objects';

const catalog = homelabCatalog();
const SYNC_TIMEOUT_MS = 60_000;
/** Reloader patches a Deployment about 0.35 s after its Secret changes. */
const RELOAD_TIMEOUT_MS = 15_000;

/** ESO's own bookkeeping on every Secret it writes: a managed label and the hash of the data it wrote. */
const ESO_MANAGED_LABEL = 'reconcile.external-secrets.io/managed';
const ESO_CREATED_BY_LABEL = 'reconcile.external-secrets.io/created-by';
const ESO_DATA_HASH = 'reconcile.external-secrets.io/data-hash';

describe('the committed manifests on a real cluster (kube-apiserver, ESO v2.9.0, Reloader, OpenBao)', () => {
  // One cluster for every output of the mutation suite, reset for each.
  const shared = new SharedCluster({ namespaces: catalog.namespaces });
  afterAll(() => shared.stop());
  forEachOutput((root) => {
    let cluster: Cluster;
    /** The committed manifests and the synthesized Vault stack, or the mutation suite's copy of them. */
    let output: HomelabOutput;
    /** path → key → value, as seeded; changed by the rotation test. */
    let values: Record<string, Record<string, string>>;
    /** Argo CD's own values in its two Secrets. */
    let argoCdValues: Record<string, Record<string, string>>;

    const target = (name: string): SyncTarget => catalog.targets.find((t) => t.name === name)!;
    /** The key → value the row's Secret must hold: its keys, renamed, from the seeded paths. */
    const expectedData = (row: SyncTarget): Record<string, string> => Object.fromEntries(row.sources.flatMap((source) =>
      source.kind === 'extract'
        ? Object.entries(values[source.path.path])
        : source.keys.map((key) => [source.renames[key] ?? key, values[source.path.path][key]])));
    const readyOf = async (row: SyncTarget) => conditionOf(await cluster.get(externalSecretsPath(row.namespace, row.externalSecretName)), 'Ready');
    const allReady = async (): Promise<any[] | undefined> => {
      const list = await cluster.get(externalSecretsPath());
      const synced = list.items.filter((es: any) => conditionOf(es, 'Ready')?.status === 'True' && conditionOf(es, 'Ready')?.reason === 'SecretSynced');
      return list.items.length === catalog.targets.length && synced.length === list.items.length ? list.items : undefined;
    };
    const readySummary = async (): Promise<unknown> => (await cluster.get(externalSecretsPath())).items
      .map((es: any) => `${es.metadata.namespace}/${es.metadata.name}: ${conditionOf(es, 'Ready')?.reason} ${conditionOf(es, 'Ready')?.message ?? ''}`);

    beforeAll(async () => {
      output = homelabOutput(catalog, root);
      cluster = await shared.take();
      ({ values, argoCdValues } = await applyHomelab(cluster, catalog, { timeoutMs: SYNC_TIMEOUT_MS, output }));
    }, 240_000);

    test('every ExternalSecret of the committed manifests is Ready with reason SecretSynced, one per catalog row', async () => {
      const list = await cluster.get(externalSecretsPath());
      expect(list.items.map((es: any) => [es.metadata.namespace, es.metadata.name, conditionOf(es, 'Ready')?.status, conditionOf(es, 'Ready')?.reason]).sort())
        .toStrictEqual(catalog.targets.map((t) => [t.namespace, t.externalSecretName, 'True', 'SecretSynced']).sort());
      const store = await cluster.get('/apis/external-secrets.io/v1/clustersecretstores/vault-backend');
      expect([conditionOf(store, 'Ready')?.status, conditionOf(store, 'Ready')?.reason]).toStrictEqual(['True', 'Valid']);
    });

    test('every row: its Secret holds exactly the declared keys with the seeded values (apps/openclaw\'s two Secrets and the rename to token too)', async () => {
      for (const row of catalog.targets.filter((t) => t.creationPolicy === 'Owner')) {
        const secret = await readSecret(cluster, row.namespace, row.name);
        expect([row.row, secret?.type, Object.keys(secret?.data ?? {}).sort()]).toStrictEqual([row.row, 'Opaque', targetSecretKeys(row).sort()]);
        expect([row.row, fingerprints(secret!.data)]).toStrictEqual([row.row, fingerprints(expectedData(row))]);
      }
      // Spelled out: apps/openclaw feeds two Secrets; the second takes one key, renamed to `token`.
      const openclaw = await readSecret(cluster, 'openclaw', 'openclaw-secrets');
      const hooks = await readSecret(cluster, 'monitoring', 'alertmanager-openclaw-hooks-token');
      expect(Object.keys(openclaw!.data).sort()).toStrictEqual(['ANTHROPIC_API_KEY', 'OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_HOOKS_TOKEN']);
      expect(Object.keys(hooks!.data)).toStrictEqual(['token']);
      expect(fingerprints({ token: hooks!.data.token })).toStrictEqual(fingerprints({ token: values['apps/openclaw'].OPENCLAW_HOOKS_TOKEN }));
      // A value is bytes: among the seeded values are a multi-line file with a final newline, quotes and
      // backslashes, and non-ASCII text; each arrived unchanged (the digests above are of the raw bytes).
      const seeded = Object.values(values).flatMap((keys) => Object.values(keys));
      expect([seeded.some((v) => v.includes('\n') && v.endsWith('\n')), seeded.some((v) => v.includes('"') && v.includes('\\')), seeded.some((v) => /[^\x00-\x7f]/.test(v))])
        .toStrictEqual([true, true, true]);
    });

    test('Merge: argocd-secret and argocd-notifications-secret keep their own keys and labels, gain ours, and ESO takes no ownership', async () => {
      for (const [name, own] of Object.entries(ARGO_CD_OWN_SECRETS)) {
        const row = target(name);
        const secret = (await readSecret(cluster, 'argocd', name))!;
        expect([name, Object.keys(secret.data).sort()]).toStrictEqual([name, [...own.keys, ...targetSecretKeys(row)].sort()]);
        expect([name, fingerprints(secret.data)]).toStrictEqual([name, fingerprints({ ...argoCdValues[name], ...expectedData(row) })]);
        expect([name, secret.metadata.ownerReferences]).toStrictEqual([name, undefined]);
        // Its own labels stay; ESO adds only its managed label (no created-by: it did not create it).
        expect([name, secret.metadata.labels]).toStrictEqual([name, { ...own.labels, [ESO_MANAGED_LABEL]: 'true' }]);
        expect([name, Object.keys(secret.metadata.annotations)]).toStrictEqual([name, [ESO_DATA_HASH]]);
      }
    });

    test('Owner: each Secret is owned by its ExternalSecret and carries ESO\'s bookkeeping only, not the ExternalSecret\'s Argo CD annotations', async () => {
      const committed = objectsOf(manifestFiles(output.manifestsDir)).filter((o) => o.kind === 'ExternalSecret');
      for (const row of catalog.targets.filter((t) => t.creationPolicy === 'Owner')) {
        const es = await cluster.get(externalSecretsPath(row.namespace, row.externalSecretName));
        const secret = (await readSecret(cluster, row.namespace, row.name))!;
        expect([row.row, secret.metadata.ownerReferences]).toStrictEqual([row.row, [{
          apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', name: row.externalSecretName, uid: es.metadata.uid, controller: true, blockOwnerDeletion: true,
        }]]);
        expect([row.row, Object.keys(secret.metadata.labels).sort(), secret.metadata.labels[ESO_MANAGED_LABEL]])
          .toStrictEqual([row.row, [ESO_CREATED_BY_LABEL, ESO_MANAGED_LABEL], 'true']);
        expect([row.row, Object.keys(secret.metadata.annotations)]).toStrictEqual([row.row, [ESO_DATA_HASH]]);
        // The ExternalSecret does carry Argo CD's annotations: the empty template.metadata keeps them off the Secret.
        const manifest = committed.find((o) => o.metadata.namespace === row.namespace && o.metadata.name === row.externalSecretName);
        expect([row.row, Object.keys(manifest.metadata.annotations).sort(), manifest.spec.target.template.metadata])
          .toStrictEqual([row.row, ['argocd.argoproj.io/sync-options', 'argocd.argoproj.io/sync-wave'], {}]);
      }
    });

    test('zero drift: after ESO has reconciled, `kubectl diff --server-side` over manifests/ reports nothing for any object, the Applications included', async () => {
      // Nothing in this cluster runs Argo CD, but its Application CRD (the vendored one) lets the API server
      // default and diff the Applications too; applying them starts nothing.
      await cluster.applyCrds([join(__dirname, '..', '..', 'crds', 'argocd', 'application-crd.yaml')]);
      await cluster.apply({ files: manifestFiles(output.manifestsDir, { applications: true }).filter((f) => f.endsWith('argocd-applications.yaml')) });
      const files = manifestFiles(output.manifestsDir, { applications: true });
      expect(files.length).toBe(8);
      const diff = await cluster.kubectl(['diff', '--server-side', ...files.flatMap((f) => ['-f', f])], { allowFailure: true });
      expect({ code: diff.code, stdout: diff.stdout, stderr: diff.stderr }).toStrictEqual({ code: 0, stdout: '', stderr: '' });
      // And object by object: the live spec is the committed spec (the CRDs default nothing the manifests leave out).
      for (const object of objectsOf(files)) {
        const [group, version] = object.apiVersion.split('/');
        const plural = { ClusterSecretStore: 'clustersecretstores', ExternalSecret: 'externalsecrets', Application: 'applications' }[object.kind as string];
        const live = await cluster.get(`/apis/${group}/${version}${object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : ''}/${plural}/${object.metadata.name}`);
        expect([object.kind, object.metadata.name, live.spec]).toStrictEqual([object.kind, object.metadata.name, object.spec]);
      }
    });

    test('status: every row synced (exit 0, key names only); an ExternalSecret the catalog does not declare is listed', async () => {
      // An ExternalSecret nobody declared, in a namespace the store serves.
      await cluster.apply([{
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'leftover', namespace: 'arr' },
        spec: { refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault-backend' },
          target: { name: 'leftover', creationPolicy: 'Owner', deletionPolicy: 'Retain' }, data: [{ secretKey: 'user', remoteRef: { key: 'apps/vpn', property: 'OPENVPN_USER' } }] },
      }]);
      await cluster.waitFor('the undeclared ExternalSecret to sync', async () => conditionOf(await cluster.get(externalSecretsPath('arr', 'leftover')), 'Ready')?.reason === 'SecretSynced');
      const table = await runClusterCli(cluster, catalog, ['status']);
      const json = await runClusterCli(cluster, catalog, ['status', '--json']);
      expect([table.code, table.stderr, json.code]).toStrictEqual([EXIT.ok, '', EXIT.ok]);
      const report = JSON.parse(json.stdout);
      expect(report.context).toBe('homelab-secrets-test');
      expect(report.rows.map((r: any) => [r.namespace, r.externalSecret, r.ready, r.reason, r.secretFound, r.missingKeys, r.unexpectedKeys, r.synced]))
        .toStrictEqual(catalog.targets.map((t) => [t.namespace, t.externalSecretName, 'True', 'SecretSynced', true, [], [], true]));
      expect(report.rows.every((r: any) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.lastSync))).toBe(true);
      expect(report.undeclared.map((u: any) => [u.namespace, u.externalSecret, u.ready, u.reason])).toStrictEqual([['arr', 'leftover', 'True', 'SecretSynced']]);
      const lines = table.stdout.split('\n');
      expect(lines[0]).toBe(`Context homelab-secrets-test: ${catalog.targets.length} of ${catalog.targets.length} rows synced.`);
      expect(lines.filter((l) => / True +SecretSynced +\S+ +ok$/.test(l))).toHaveLength(catalog.targets.length);
      expect(table.stdout).toContain('ExternalSecrets the catalog does not declare (1):');
      // No value reaches the output.
      for (const path of Object.values(values)) for (const value of Object.values(path)) expect(table.stdout + json.stdout).not.toContain(value);
      await cluster.kubectl(['delete', 'externalsecret', '-n', 'arr', 'leftover', '--wait=true']);
    });

    test('rotation: `rotate`, then `force-sync`, update the Secrets; Reloader patches the pod templates of the Deployments wired with wireSecret, in the Application\'s strategy', async () => {
      // Two workloads wired as the docs show: OpenClaw's env from openclaw-secrets, Alertmanager's volume from the hooks token.
      const deployments = output.workloads;
      await cluster.apply(deployments);
      const template = async (namespace: string, name: string): Promise<any> => (await cluster.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`)).spec.template;
      const before = { openclaw: await template('openclaw', 'openclaw'), alertmanager: await template('monitoring', 'alertmanager') };
      expect([before.openclaw.metadata.annotations?.[RELOADED_FROM], before.alertmanager.metadata.annotations?.[RELOADED_FROM]]).toStrictEqual([undefined, undefined]);

      // WHEN the operator rotates one key of apps/openclaw, the new value on stdin
      const rotated = `rotated-${Math.random()}`;
      const rotate = await runClusterCli(cluster, catalog, ['rotate', 'apps/openclaw', 'OPENCLAW_HOOKS_TOKEN'], { stdin: `${rotated}\n` });
      expect([rotate.code, rotate.stderr]).toStrictEqual([EXIT.ok, '']);
      values['apps/openclaw'].OPENCLAW_HOOKS_TOKEN = rotated;

      // THEN both Secrets it feeds change, then Reloader patches both pod templates
      for (const row of [target('openclaw-secrets'), target('alertmanager-openclaw-hooks-token')]) {
        await cluster.waitFor(`${row.name} to hold the rotated value`, async () => {
          const secret = await readSecret(cluster, row.namespace, row.name);
          return JSON.stringify(fingerprints(secret!.data)) === JSON.stringify(fingerprints(expectedData(row)));
        }, { timeoutMs: SYNC_TIMEOUT_MS, observe: () => readyOf(row) });
      }
      const reloaded = async (namespace: string, name: string): Promise<any> => {
        const annotation = (await template(namespace, name)).metadata.annotations?.[RELOADED_FROM];
        return annotation === undefined ? undefined : JSON.parse(annotation);
      };
      const openclawReload = await cluster.waitFor('Reloader to patch the OpenClaw Deployment', () => reloaded('openclaw', 'openclaw'), { timeoutMs: RELOAD_TIMEOUT_MS });
      const alertmanagerReload = await cluster.waitFor('Reloader to patch the Alertmanager Deployment', () => reloaded('monitoring', 'alertmanager'), { timeoutMs: RELOAD_TIMEOUT_MS });
      expect([openclawReload.type, openclawReload.name, openclawReload.namespace]).toStrictEqual(['SECRET', 'openclaw-secrets', 'openclaw']);
      expect([alertmanagerReload.type, alertmanagerReload.name, alertmanagerReload.namespace]).toStrictEqual(['SECRET', 'alertmanager-openclaw-hooks-token', 'monitoring']);
      // The Application's strategy, `annotations`: one pod template annotation; the containers are unchanged
      // (the default, env-vars, would add a STAKATER_* variable, which Argo CD would revert).
      expect(RELOADER_STRATEGY).toBe('annotations');
      const after = { openclaw: await template('openclaw', 'openclaw'), alertmanager: await template('monitoring', 'alertmanager') };
      expect(after.openclaw.spec).toStrictEqual(before.openclaw.spec);
      expect(after.alertmanager.spec).toStrictEqual(before.alertmanager.spec);
      expect(Object.keys(after.openclaw.metadata.annotations)).toContain(RELOADED_FROM);

      // AND force-sync alone: a value changed in Vault reaches its Secret at once, not at the next hourly refresh.
      const changed = `changed-${Math.random()}`;
      const put = await cluster.vault.api('PATCH', `${catalog.mount}/data/apps/vpn`, { data: { OPENVPN_PASSWORD: changed } });
      expect(put.status).toBe(200);
      values['apps/vpn'].OPENVPN_PASSWORD = changed;
      const forceSync = await runClusterCli(cluster, catalog, ['force-sync', 'apps/vpn']);
      expect([forceSync.code, forceSync.stderr]).toStrictEqual([EXIT.ok, '']);
      const vpn = target('vpn-credentials');
      await cluster.waitFor('vpn-credentials to hold the changed value', async () =>
        JSON.stringify(fingerprints((await readSecret(cluster, vpn.namespace, vpn.name))!.data)) === JSON.stringify(fingerprints(expectedData(vpn))),
      { timeoutMs: SYNC_TIMEOUT_MS, observe: () => readyOf(vpn) });
    });

    test('force-sync twice within one second: both sync (the annotation\'s value is in milliseconds, so the second one changes it too)', async () => {
      const vpn = target('vpn-credentials');
      const secretHolds = async (): Promise<boolean> =>
        JSON.stringify(fingerprints((await readSecret(cluster, vpn.namespace, vpn.name))!.data)) === JSON.stringify(fingerprints(expectedData(vpn)));
      const annotation = async (): Promise<string> => (await cluster.get(externalSecretsPath(vpn.namespace, vpn.externalSecretName))).metadata.annotations?.['force-sync'];
      // Two runs whose clocks read 100 ms and 600 ms into the same second: whole seconds would write one value twice.
      const second = (Math.floor(Date.now() / 1000) + 1) * 1000;
      for (const [i, at] of [second + 100, second + 600].entries()) {
        const changed = `changed-${i}-${Math.random()}`;
        const put = await cluster.vault.api('PATCH', `${catalog.mount}/data/apps/vpn`, { data: { OPENVPN_PASSWORD: changed } });
        expect(put.status).toBe(200);
        values['apps/vpn'].OPENVPN_PASSWORD = changed;
        const run = await runClusterCli(cluster, catalog, ['force-sync', 'apps/vpn'], { now: () => at });
        expect([i, run.code, run.stderr, run.stdout]).toStrictEqual([i, EXIT.ok, '', `force-sync=${at} on 1 ExternalSecret fed by apps/vpn:\n  arr/vpn-credentials: annotated\n`]);
        expect(await annotation()).toBe(String(at));
        await cluster.waitFor(`vpn-credentials to hold change ${i}`, secretHolds, { timeoutMs: SYNC_TIMEOUT_MS, observe: () => readyOf(vpn) });
      }
    });

    test('Vault down: every ExternalSecret turns not-Ready and every Secret keeps its values; status exits 1 naming each row; back up, all recover with no operator action', async () => {
      const before = new Map<string, Record<string, string>>();
      for (const row of catalog.targets) before.set(row.row, fingerprints((await readSecret(cluster, row.namespace, row.name))!.data));

      await cluster.stopVault();
      // ESO notices at its next refresh (hourly here): annotate every ExternalSecret now, as force-sync does.
      await cluster.kubectl(['annotate', 'externalsecrets', '--all', '--all-namespaces', `force-sync=${Date.now()}`, '--overwrite']);
      await cluster.waitFor('every ExternalSecret to turn not-Ready', async () => {
        const list = await cluster.get(externalSecretsPath());
        return list.items.length === catalog.targets.length && list.items.every((es: any) => conditionOf(es, 'Ready')?.status === 'False');
        // One ExternalSecret at a time (the chart's --concurrent=1), each failing after the Vault client's
        // two retries, about 4 s: a minute for the 15 on this machine; 10 s each allows for load.
      }, { timeoutMs: catalog.targets.length * 10_000, observe: readySummary });
      const list = await cluster.get(externalSecretsPath());
      expect([...new Set(list.items.map((es: any) => conditionOf(es, 'Ready')?.reason))]).toStrictEqual(['SecretSyncedError']);
      for (const row of catalog.targets) {
        expect([row.row, fingerprints((await readSecret(cluster, row.namespace, row.name))!.data)]).toStrictEqual([row.row, before.get(row.row)]);
      }
      const down = await runClusterCli(cluster, catalog, ['status']);
      expect(down.code).toBe(EXIT.failed);
      expect(down.stdout.split('\n')[0]).toBe(`Context homelab-secrets-test: 0 of ${catalog.targets.length} rows synced.`);
      expect(down.stderr.split('\n').filter(Boolean).map((l) => l.split(': ').slice(0, 3).join(': ')))
        .toStrictEqual(catalog.targets.map((t) => `homelab-secrets: not synced: ${t.namespace}/${t.externalSecretName}`));

      await cluster.startVault();
      // ESO retries a failed sync with exponential back-off, so they come back within about the outage's
      // length. If the store's own check (every 5 min, ESO's --store-requeue-interval) fell inside the
      // outage, the store is not-Ready until its next check: the wait allows for that.
      await cluster.waitFor('every ExternalSecret to recover by itself', allReady, { timeoutMs: 6.5 * 60_000, observe: readySummary });
      for (const row of catalog.targets) {
        expect([row.row, fingerprints((await readSecret(cluster, row.namespace, row.name))!.data)]).toStrictEqual([row.row, before.get(row.row)]);
      }
      expect((await runClusterCli(cluster, catalog, ['status'])).code).toBe(EXIT.ok);
    }, 12 * 60_000);
  });
});
