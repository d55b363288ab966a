import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The binaries a cluster runs, as `npm run engines` recorded them in engines.json. */
export interface ClusterEngines {
  /** The engines folder (HOMELAB_ENGINES_DIR). */
  readonly dir: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubectl: string;
  /** The ESO controller, built with the Vault provider only. */
  readonly externalSecrets: string;
  /** ESO's CRD folder of the same release (`config/crds/bases`): the generator CRDs come from here. */
  readonly externalSecretsCrds: string;
  readonly reloader: string;
  /** OpenBao. */
  readonly bao: string;
  /** helm renders the vendored charts: the components' RBAC and their controllers' arguments. */
  readonly helm: string;
}

/** The engines folder: HOMELAB_ENGINES_DIR, else ~/.cache/homelab-secrets/engines. */
export function enginesDir(): string {
  return process.env.HOMELAB_ENGINES_DIR ?? join(homedir(), '.cache', 'homelab-secrets', 'engines');
}

/** Reads engines.json; one error naming every engine that is missing. */
export function clusterEngines(): ClusterEngines {
  const dir = enginesDir();
  const file = join(dir, 'engines.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run engines\` first`);
  const recorded = JSON.parse(readFileSync(file, 'utf8'));
  const missing: string[] = [];
  const path = (key: string, field = 'path'): string => {
    const value: unknown = field === '' ? recorded[key] : recorded[key]?.[field];
    if (typeof value !== 'string' || !existsSync(value)) {
      missing.push(`${key}${recorded[key]?.error ? ` (${recorded[key].error})` : ''}`);
      return '';
    }
    return value;
  };
  const engines: ClusterEngines = {
    dir,
    etcd: path('etcd'),
    kubeApiserver: path('kube-apiserver'),
    kubectl: path('kubectl'),
    externalSecrets: path('external-secrets'),
    externalSecretsCrds: path('externalSecretsCrds', ''),
    reloader: path('reloader'),
    bao: path('bao'),
    helm: path('helm'),
  };
  if (missing.length > 0) throw new Error(`the cluster's engines are not installed in ${dir}: ${missing.join(', ')}; run \`npm run engines\``);
  return engines;
}
