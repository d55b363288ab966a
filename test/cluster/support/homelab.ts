import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { SecretCatalog, SyncTarget } from '../../../lib/catalog';
import { wireSecret } from '../../../lib/workloads';
import { applyWithVaultApi, synthVaultStack } from '../../e2e/support/vault-stack';
import type { Cluster } from './cluster';
import { conditionOf, externalSecretsPath, manifestFiles, seedValues } from './objects';

/** Argo CD's two Secrets as its chart makes them, before ESO merges into them: keys and labels of their own. */
export const ARGO_CD_OWN_SECRETS = {
  'argocd-secret': {
    labels: { 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/name': 'argocd-secret', 'app.kubernetes.io/part-of': 'argocd' },
    keys: ['admin.password', 'admin.passwordMtime', 'server.secretkey'],
  },
  'argocd-notifications-secret': {
    labels: { 'app.kubernetes.io/component': 'notifications-controller', 'app.kubernetes.io/name': 'argocd-notifications-secret', 'app.kubernetes.io/part-of': 'argocd' },
    keys: ['email-password'],
  },
} as const;

/** What {@link applyHomelab} seeded and created. */
export interface AppliedHomelab {
  /** path → key → value, as seeded (over stdin). */
  readonly values: Record<string, Record<string, string>>;
  /** Argo CD's own values in its two Secrets, by Secret name. */
  readonly argoCdValues: Record<string, Record<string, string>>;
}

/**
 * What an operator does on a fresh cluster, in order: the synthesized Vault stack (applied through the
 * Vault API: terraform-provider-vault cannot be installed here), every declared path seeded over stdin
 * with test values, Argo CD's own Secrets as its chart makes them (Merge targets need them), then the
 * committed manifests (without the Argo CD Applications); returns once every ExternalSecret is Ready with
 * reason SecretSynced.
 */
export async function applyHomelab(cluster: Cluster, catalog: SecretCatalog, options: { readonly timeoutMs?: number } = {}): Promise<AppliedHomelab> {
  const tf = mkdtempSync(join(tmpdir(), 'homelab-secrets-tf-'));
  try {
    const { json } = synthVaultStack(catalog, tf);
    await applyWithVaultApi(json, { addr: cluster.vault.addr, rootToken: cluster.vault.rootToken });
  } finally {
    rmSync(tf, { recursive: true, force: true });
  }
  const values = seedValues(catalog);
  for (const path of catalog.paths) await cluster.seedVault(catalog.mount, path.path, values[path.path]);
  const argoCdValues: Record<string, Record<string, string>> = {};
  for (const [name, own] of Object.entries(ARGO_CD_OWN_SECRETS)) {
    argoCdValues[name] = Object.fromEntries(own.keys.map((k) => [k, `argocd-own-${k}-${Math.random().toString(36).slice(2)}`]));
  }
  await cluster.apply(Object.entries(ARGO_CD_OWN_SECRETS).map(([name, own]) => ({
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name, namespace: 'argocd', labels: own.labels }, stringData: argoCdValues[name],
  })));
  await cluster.apply({ files: manifestFiles() });
  await cluster.waitFor('every ExternalSecret to report SecretSynced', async () => {
    const items = (await cluster.get(externalSecretsPath())).items;
    return items.length === catalog.targets.length && items.every((es: any) => conditionOf(es, 'Ready')?.reason === 'SecretSynced');
  }, {
    timeoutMs: options.timeoutMs ?? 60_000,
    observe: async () => (await cluster.get(externalSecretsPath())).items
      .map((es: any) => `${es.metadata.namespace}/${es.metadata.name}: ${conditionOf(es, 'Ready')?.reason} ${conditionOf(es, 'Ready')?.message ?? ''}`),
  });
  return { values, argoCdValues };
}

/** The pod template annotation Reloader's `annotations` strategy writes. */
export const RELOADED_FROM = 'reloader.stakater.com/last-reloaded-from';

/**
 * Two Deployments wired to apps/openclaw's Secrets with `wireSecret`, as docs/components.md shows: OpenClaw
 * takes openclaw-secrets as environment variables, Alertmanager the hooks token as a volume.
 */
export function wiredWorkloads(catalog: SecretCatalog): any[] {
  const target = (name: string): SyncTarget => {
    const found = catalog.targets.find((t) => t.name === name);
    if (!found) throw new Error(`the catalog has no target ${name}`);
    return found;
  };
  const app = Testing.app();
  const openclawChart = new Chart(app, 'openclaw', { namespace: 'openclaw', disableResourceNameHashes: true });
  const openclaw = new kplus.Deployment(openclawChart, 'openclaw', { metadata: { name: 'openclaw' }, containers: [{ image: 'registry.invalid/openclaw:1' }] });
  wireSecret(openclaw, openclaw.containers[0], target('openclaw-secrets'), { as: 'env' });
  const alertmanagerChart = new Chart(app, 'monitoring', { namespace: 'monitoring', disableResourceNameHashes: true });
  const alertmanager = new kplus.Deployment(alertmanagerChart, 'alertmanager', { metadata: { name: 'alertmanager' }, containers: [{ image: 'registry.invalid/alertmanager:1' }] });
  wireSecret(alertmanager, alertmanager.containers[0], target('alertmanager-openclaw-hooks-token'), { as: 'volume', mountPath: '/etc/alertmanager/openclaw' });
  return [...Testing.synth(openclawChart), ...Testing.synth(alertmanagerChart)];
}
