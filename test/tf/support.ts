import { tmpdir } from 'node:os';
import { SecretCatalog } from '../../lib/catalog';
import type { EsoReadPolicyProps, VaultStackProps } from '../../lib/tf';
import { vaultStackProps as mappedVaultStackProps } from '../../lib/tf/private/catalog-mapping';
import { resolvedFixture } from '../support/fixtures';

/** The parts of a synthesized Terraform JSON the tests read. */
export interface TfJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly provider?: Record<string, Record<string, any>[]>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly terraform?: Record<string, any>;
}

/** The one configuration of `type` in a synthesized stack; fails when there is not exactly one. */
export function onlyResource(json: string | TfJson, type: string, kind: 'resource' | 'data' = 'resource'): Record<string, any> {
  const parsed: TfJson = typeof json === 'string' ? JSON.parse(json) : json;
  const all = Object.values(parsed[kind]?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected exactly one ${kind} ${type}, found ${all.length}`);
  return all[0];
}

/** `type.name` of every resource and data source, sorted: the addresses `terraform import` takes. */
export function addresses(json: string | TfJson): string[] {
  const parsed: TfJson = typeof json === 'string' ? JSON.parse(json) : json;
  const list: string[] = [];
  for (const [kind, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    for (const [type, byName] of Object.entries(parsed[kind] ?? {})) {
      for (const name of Object.keys(byName)) list.push(`${prefix}${type}.${name}`);
    }
  }
  return list.sort();
}

/** Replaces the checkout and temp folders, so that a snapshot holds nothing machine-specific. */
export function withoutMachinePaths(text: string): string {
  return text.split(process.cwd()).join('<repo>').split(tmpdir()).join('<tmp>');
}

/** The token's own paths every ESO read policy grants, sorting before any mount's paths here. */
export const ESO_SELF_PATHS: readonly string[] = ['auth/token/lookup-self', 'auth/token/revoke-self'];

/** The paths of an ESO read policy granting `read` on exactly `dataPaths` (sorted). */
export function esoPolicyPaths(...dataPaths: string[]): string[] {
  return [...ESO_SELF_PATHS, ...dataPaths];
}

/** The vault_policy paths of an HCL policy, in order. */
export function policyPaths(hcl: string): string[] {
  return [...hcl.matchAll(/^path "([^"]+)" \{$/gm)].map((m) => m[1]);
}

/** A small valid catalog: two paths, declared out of alphabetical order, one feeding two Secrets. */
export function twoPathCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'homelab' });
  catalog.path('infrastructure/minio', ['rootUser', 'rootPassword']).syncTo({ name: 'minio-credentials', namespace: 'backups' });
  const vpn = catalog.path('apps/vpn', ['OPENVPN_USER', 'OPENVPN_PASSWORD']);
  vpn.syncTo({ name: 'vpn-credentials', namespace: 'arr' });
  vpn.syncTo({ name: 'vpn-user', namespace: 'media', keys: ['OPENVPN_USER'] });
  return catalog;
}

/** VaultStack's props for a catalog with the fixture settings, as terraformPart maps them. */
export function vaultStackProps(catalog: SecretCatalog): VaultStackProps {
  return mappedVaultStackProps(resolvedFixture(catalog));
}

/** EsoReadPolicy's props for a catalog. */
export function esoPolicyProps(catalog: SecretCatalog): EsoReadPolicyProps {
  return { mount: catalog.mount, paths: catalog.pathNames };
}
