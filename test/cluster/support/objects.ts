import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { SecretCatalog } from '../../../lib/catalog';
import type { Cluster } from './cluster';

const ROOT = join(__dirname, '..', '..', '..');

/** The committed manifests/ folder. */
export const MANIFESTS_DIR = join(ROOT, 'manifests');

/** The file of the Argo CD Applications: their CRD is not part of a cluster ESO needs (see homelab.test.ts). */
export const APPLICATIONS_FILE = 'argocd-applications.yaml';

/** Every YAML file of a manifests folder, sorted, with or without the Applications' file. */
export function manifestFiles(dir = MANIFESTS_DIR, options: { readonly applications?: boolean } = {}): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml') && (options.applications || f !== APPLICATIONS_FILE)).sort().map((f) => join(dir, f));
}

/** The objects of YAML files. */
export function objectsOf(files: readonly string[]): any[] {
  return files.flatMap((file) => YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON()).filter((o) => o && o.kind));
}

/** The API path of an ExternalSecret, or of the collection of a namespace (or of all, without one). */
export function externalSecretsPath(namespace?: string, name?: string): string {
  return `/apis/external-secrets.io/v1${namespace ? `/namespaces/${namespace}` : ''}/externalsecrets${name ? `/${name}` : ''}`;
}

/** A condition of an object's status, if it has it. */
export function conditionOf(object: any, type: string): { status: string; reason?: string; message?: string } | undefined {
  return object?.status?.conditions?.find((c: any) => c.type === type);
}

/** A Secret as the test reads it: its metadata and type, and its data decoded into bytes (kept in memory only). */
export interface LiveSecret {
  readonly metadata: any;
  readonly type: string;
  readonly data: Readonly<Record<string, Buffer>>;
}

/** The Secret, or undefined. */
export async function readSecret(cluster: Cluster, namespace: string, name: string): Promise<LiveSecret | undefined> {
  const secret = await cluster.get(`/api/v1/namespaces/${namespace}/secrets/${name}`);
  if (!secret) return undefined;
  const data = Object.fromEntries(Object.entries<string>(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  return { metadata: secret.metadata, type: secret.type, data };
}

/**
 * Key → a short SHA-256 of the value. Tests compare these, never the values, so that a failing
 * assertion prints key names and digests, not a value.
 */
export function fingerprints(data: Readonly<Record<string, Buffer | string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(data).sort().map((key) => [key, createHash('sha256').update(data[key]).digest('hex').slice(0, 16)]));
}

/**
 * Test values for every declared key of every path: random, and of the shapes real ones take (a
 * multi-line file with a final newline, spaces and quotes, non-ASCII text), so that a value altered
 * on its way (trimmed, re-encoded) shows. Generated per run; never printed.
 */
export function seedValues(catalog: SecretCatalog): Record<string, Record<string, string>> {
  const shapes = [
    (r: string) => r,
    (r: string) => `[default]\naws_access_key_id = ${r.slice(0, 10)}\naws_secret_access_key = ${r.slice(10)}\n`,
    (r: string) => `pass word "${r}" \\ end `,
    (r: string) => `ünïcødé-${r}-✓`,
  ];
  let n = 0;
  return Object.fromEntries(catalog.paths.map((path) => [path.path,
    Object.fromEntries(path.keys.map((key) => [key, shapes[n++ % shapes.length](randomBytes(18).toString('base64url'))]))]));
}
