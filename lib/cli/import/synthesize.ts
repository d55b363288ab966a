import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Declaration, resolveDeclaration } from '../../catalog';
import type { SourceDocument } from './documents';

/**
 * The ESO objects the library synthesizes from `declaration`, as documents of their output files
 * (`cluster-secret-store.yaml`, `externalsecrets-<namespace>.yaml`). Renders in memory; cdk8s is
 * loaded only here, so the other commands do not pay for it.
 */
export async function synthesizeEsoDocuments(declaration: Declaration): Promise<SourceDocument[]> {
  const [{ App }, { addEsoCharts }] = await Promise.all([import('cdk8s'), import('../../k8s')]);
  const app = new App();
  addEsoCharts(app, resolveDeclaration(declaration));
  return app.charts.flatMap((chart) => chart.toJson().map((value: unknown, index: number) => ({ file: `${chart.node.id}.yaml`, document: index + 1, value })));
}

/** One Kubernetes-auth role as the synthesized Vault stack writes it, with the paths its policy grants. */
export interface SynthesizedRole {
  readonly role: string;
  readonly authMountPath: string;
  /** Every `namespace/name` the role admits: Vault binds each listed name in each listed namespace. */
  readonly serviceAccounts: readonly string[];
  readonly audience: string;
  /** The paths inside the mount its token policies grant `read` on, sorted; other capabilities as `path (capability)`. */
  readonly paths: readonly string[];
}

/**
 * The Kubernetes-auth roles and their policies the library synthesizes from `declaration`: the Vault
 * stack's Terraform JSON, synthesized into a temporary folder by cdktf and read back. cdktf is loaded
 * only here.
 */
export async function synthesizeVaultRoles(declaration: Declaration): Promise<SynthesizedRole[]> {
  const [{ App }, { addTerraformStacks, ESO_TOKEN_SELF_RULES }, { TERRAFORM_STACKS, stackDir }] = await Promise.all([import('cdktf'), import('../../tf'), import('../../tf/stack-names')]);
  // Every ESO policy grants its token's own lookup and revocation (its tokens have no default policy): not a path read.
  const tokenSelf = new Set(ESO_TOKEN_SELF_RULES.map((rule) => `${rule.path} (${rule.capabilities.join(', ')})`));
  const outdir = mkdtempSync(join(tmpdir(), 'homelab-secrets-import-'));
  try {
    const resolved = resolveDeclaration(declaration);
    const app = new App({ outdir, stackTraces: false });
    addTerraformStacks(app, resolved);
    app.synth();
    const json = JSON.parse(readFileSync(join(stackDir(TERRAFORM_STACKS.vault, outdir), 'cdk.tf.json'), 'utf8')) as TerraformJson;
    const backends = json.resource?.vault_auth_backend ?? {};
    const policies = json.resource?.vault_policy ?? {};
    const mount = resolved.catalog.mount;
    return Object.values(json.resource?.vault_kubernetes_auth_backend_role ?? {}).map((role) => {
      const backend = /^\$\{vault_auth_backend\.([^.]+)\.path\}$/.exec(role.backend)?.[1];
      const paths = role.token_policies.flatMap((ref) => {
        const name = /^\$\{vault_policy\.([^.]+)\.name\}$/.exec(ref)?.[1];
        return name === undefined ? [] : policyPaths(policies[name]?.policy ?? '', mount).filter((path) => !tokenSelf.has(path));
      });
      return {
        role: role.role_name,
        authMountPath: backend === undefined ? '' : backends[backend]?.path ?? '',
        serviceAccounts: role.bound_service_account_namespaces.flatMap((ns) => role.bound_service_account_names.map((n) => `${ns}/${n}`)).sort(),
        audience: role.audience,
        paths: [...new Set(paths)].sort(),
      };
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The parts of the Vault stack's Terraform JSON read here. */
interface TerraformJson {
  readonly resource?: {
    readonly vault_auth_backend?: Record<string, { readonly path: string }>;
    readonly vault_policy?: Record<string, { readonly policy: string }>;
    readonly vault_kubernetes_auth_backend_role?: Record<string, {
      readonly backend: string;
      readonly role_name: string;
      readonly bound_service_account_names: readonly string[];
      readonly bound_service_account_namespaces: readonly string[];
      readonly audience: string;
      readonly token_policies: readonly string[];
    }>;
  };
}

/** The paths inside `mount` an HCL policy grants: `<path>` for exactly `read` on `<mount>/data/<path>`, anything else spelled out. */
function policyPaths(hcl: string, mount: string): string[] {
  const paths: string[] = [];
  for (const m of hcl.matchAll(/^path "([^"]+)" \{\n {2}capabilities = \[([^\]]*)\]\n\}$/gm)) {
    const capabilities = m[2].split(',').map((c) => c.trim().replace(/^"|"$/g, '')).filter(Boolean);
    const prefix = `${mount}/data/`;
    paths.push(m[1].startsWith(prefix) && capabilities.join() === 'read' ? m[1].slice(prefix.length) : `${m[1]} (${capabilities.join(', ')})`);
  }
  return paths;
}
