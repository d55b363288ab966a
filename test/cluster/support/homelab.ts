import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretCatalog } from '../../../lib/catalog';
import { mutatedOutput, vaultStackOf } from '../../e2e/support/outputs';
import { applyWithVaultApi, synthVaultStack } from '../../e2e/support/vault-stack';
import { wiredWorkloads } from '../../support/wired-workloads';
import type { Cluster } from './cluster';
import { MANIFESTS_DIR, conditionOf, externalSecretsPath, manifestFiles, objectsOf, seedValues } from './objects';

export { wiredWorkloads };

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

/** The homelab's output a cluster test applies. */
export interface HomelabOutput {
  /** The manifests folder: the committed manifests/, or the mutation suite's copy. */
  readonly manifestsDir: string;
  /** The synthesized Vault stack (parsed cdk.tf.json). */
  readonly vaultStack: any;
  /** The Deployments wired with wireSecret (test/support/wired-workloads.ts). */
  readonly workloads: any[];
  /** Whether it is the mutation suite's copy (test/e2e/support/outputs.ts). */
  readonly mutated: boolean;
}

/**
 * The homelab's output: under `npm run test:mutations` the copy in `root` (manifests, Vault stack and
 * wired workloads); otherwise the committed manifests/ (CI checks that they equal a fresh synth), a fresh
 * synth of the Vault stack, and the wired workloads.
 */
export function homelabOutput(catalog: SecretCatalog, root?: string): HomelabOutput {
  const mutated = mutatedOutput('homelab', root);
  if (mutated) {
    return { manifestsDir: mutated.manifestsDir, vaultStack: vaultStackOf(mutated.terraformDir).json, workloads: objectsOf([mutated.workloadsFile!]), mutated: true };
  }
  const tf = mkdtempSync(join(tmpdir(), 'homelab-secrets-tf-'));
  try {
    return { manifestsDir: MANIFESTS_DIR, vaultStack: synthVaultStack(catalog, tf).json, workloads: wiredWorkloads(catalog), mutated: false };
  } finally {
    rmSync(tf, { recursive: true, force: true });
  }
}

/**
 * What an operator does on a fresh cluster, in order: the synthesized Vault stack (applied through the
 * Vault API: terraform-provider-vault cannot be installed here), every declared path seeded over stdin
 * with test values, Argo CD's own Secrets as its chart makes them (Merge targets need them), then the
 * manifests (without the Argo CD Applications); returns once every ExternalSecret is Ready with reason
 * SecretSynced. Fails at the timeout, or sooner once the store or an ExternalSecret has been not-Ready
 * for `settledMs` on end (the Vault stack and the values are in place before the manifests, so nothing
 * is left to wait for: a wrong CA, a misspelled property).
 */
export async function applyHomelab(cluster: Cluster, catalog: SecretCatalog, options: {
  readonly timeoutMs?: number;
  readonly settledMs?: number;
  readonly output?: HomelabOutput;
} = {}): Promise<AppliedHomelab> {
  const output = options.output ?? homelabOutput(catalog);
  await applyWithVaultApi(output.vaultStack, { addr: cluster.vault.addr, rootToken: cluster.vault.rootToken });
  const values = seedValues(catalog);
  // side by side: each is its own `bao kv put` process
  await Promise.all(catalog.paths.map((path) => cluster.seedVault(catalog.mount, path.path, values[path.path])));
  const argoCdValues: Record<string, Record<string, string>> = {};
  for (const [name, own] of Object.entries(ARGO_CD_OWN_SECRETS)) {
    argoCdValues[name] = Object.fromEntries(own.keys.map((k) => [k, `argocd-own-${k}-${Math.random().toString(36).slice(2)}`]));
  }
  await cluster.apply(Object.entries(ARGO_CD_OWN_SECRETS).map(([name, own]) => ({
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name, namespace: 'argocd', labels: own.labels }, stringData: argoCdValues[name],
  })));
  await cluster.apply({ files: manifestFiles(output.manifestsDir) });
  const settledMs = options.settledMs ?? 10_000;
  const failingSince = new Map<string, number>();
  const summary = async (): Promise<string[]> => [
    ...(await cluster.get('/apis/external-secrets.io/v1/clustersecretstores')).items,
    ...(await cluster.get(externalSecretsPath())).items,
  ].map((o: any) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}: ${conditionOf(o, 'Ready')?.reason} ${conditionOf(o, 'Ready')?.message ?? ''}`);
  await cluster.waitFor('every ExternalSecret to report SecretSynced', async () => {
    const stores = (await cluster.get('/apis/external-secrets.io/v1/clustersecretstores')).items;
    const items = (await cluster.get(externalSecretsPath())).items;
    const now = Date.now();
    for (const object of [...stores, ...items]) {
      const key = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      if (conditionOf(object, 'Ready')?.status === 'False') {
        if (!failingSince.has(key)) failingSince.set(key, now);
        if (now - failingSince.get(key)! > settledMs) throw new Error(`${key} has been not-Ready for ${settledMs} ms: ${(await summary()).join('; ')}`);
      } else {
        failingSince.delete(key);
      }
    }
    return items.length === catalog.targets.length && items.every((es: any) => conditionOf(es, 'Ready')?.reason === 'SecretSynced');
  }, { timeoutMs: options.timeoutMs ?? 60_000, observe: summary });
  return { values, argoCdValues };
}

/** The pod template annotation Reloader's `annotations` strategy writes. */
export const RELOADED_FROM = 'reloader.stakater.com/last-reloaded-from';
