import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOMELAB_SETTINGS } from '../../../apps/homelab';
import type { PlatformSettings, SecretCatalog } from '../../../lib/catalog';
import { synthOutputs } from '../../../lib/synth';
import { TERRAFORM_STACKS, terraformPart } from '../../../lib/tf';
import { engines } from './engines';
import { vaultApi } from './bao-dev-server';

/**
 * Synthesizes the catalog's Terraform with the homelab's own settings (or `settings`) into `outdir` and returns the
 * vault stack's folder and JSON: exactly what users deploy, nothing added for the test.
 */
export function synthVaultStack(catalog: SecretCatalog, outdir: string, settings: PlatformSettings = HOMELAB_SETTINGS): { dir: string; json: any } {
  synthOutputs({ catalog, settings }, [terraformPart(outdir)]);
  const dir = join(outdir, 'stacks', TERRAFORM_STACKS.vault);
  return { dir, json: JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) };
}

/** Runs the Terraform-compatible CLI in a stack folder against the dev server. */
export function terraform(dir: string, args: string[], server: { addr: string; rootToken: string; caFile: string }): { status: number; output: string } {
  const { tfBin, tfCliConfigFile } = engines();
  if (tfBin === undefined) throw new Error('no Terraform-compatible CLI is installed: run `npm run engines`');
  try {
    const output = execFileSync(tfBin, args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TF_CLI_CONFIG_FILE: tfCliConfigFile,
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
        VAULT_ADDR: server.addr,
        VAULT_TOKEN: server.rootToken,
        // The provider verifies the server against exactly the test's CA.
        VAULT_CACERT: server.caFile,
      },
    });
    return { status: 0, output };
  } catch (error: any) {
    return { status: error.status ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

type Resources = Record<string, Record<string, Record<string, any>>>;

/** Resolves `${type.name.attribute}` references between resources of the stack. */
function resolveRefs(value: any, resources: Resources): any {
  if (typeof value === 'string') {
    const ref = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(value);
    if (!ref) {
      if (value.includes('${')) throw new Error(`unsupported expression ${value}`);
      return value;
    }
    const target = resources[ref[1]]?.[ref[2]];
    if (!target || target[ref[3]] === undefined) throw new Error(`unresolved reference ${value}`);
    return resolveRefs(target[ref[3]], resources);
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, resources));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, resolveRefs(v, resources)]));
  }
  return value;
}

/**
 * Applies the synthesized vault stack with the documented Vault HTTP API calls the vault provider
 * makes for each resource type. Used only where terraform-provider-vault cannot be installed, so
 * that the generated mount, auth role and policies are still proven on a real server.
 */
export async function applyWithVaultApi(json: any, server: { addr: string; rootToken: string }): Promise<void> {
  const resources: Resources = json.resource;
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const { status, body: answer } = await vaultApi(server.addr, server.rootToken, method, path, body);
    if (status >= 300) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(answer?.errors)}`);
  };
  const each = (type: string): Record<string, any>[] => Object.values(resources[type] ?? {}).map((r) => resolveRefs(r, resources));
  const handled = new Set([
    'vault_mount', 'vault_kv_secret_backend_v2', 'vault_policy', 'vault_auth_backend',
    'vault_kubernetes_auth_backend_config', 'vault_kubernetes_auth_backend_role',
  ]);
  const unknown = Object.keys(resources).filter((t) => !handled.has(t));
  if (unknown.length > 0) throw new Error(`applyWithVaultApi does not know ${unknown.join(', ')}`);

  const { body: mounts } = await vaultApi(server.addr, server.rootToken, 'GET', 'sys/mounts');
  for (const mount of each('vault_mount')) {
    if (!mounts[`${mount.path}/`]) {
      await call('POST', `sys/mounts/${mount.path}`, { type: mount.type, description: mount.description, options: mount.options });
    }
  }
  for (const config of each('vault_kv_secret_backend_v2')) {
    // A new kv-v2 mount upgrades its storage first and answers 400 "Upgrading from non-versioned to
    // versioned data" until done (under load, a moment): wait for it, as a client must.
    const body = { max_versions: config.max_versions, cas_required: config.cas_required, delete_version_after: config.delete_version_after };
    for (let attempt = 1; ; attempt++) {
      const { status, body: answer } = await vaultApi(server.addr, server.rootToken, 'POST', `${config.mount}/config`, body);
      if (status < 300) break;
      const upgrading = JSON.stringify(answer?.errors ?? []).includes('Upgrading from non-versioned to versioned data');
      if (!upgrading || attempt === 50) throw new Error(`POST ${config.mount}/config: ${status} ${JSON.stringify(answer?.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  // A policy write replaces the whole policy, as the provider's update does.
  for (const policy of each('vault_policy')) await call('PUT', `sys/policies/acl/${policy.name}`, { policy: policy.policy });
  const { body: auths } = await vaultApi(server.addr, server.rootToken, 'GET', 'sys/auth');
  for (const auth of each('vault_auth_backend')) {
    if (!auths[`${auth.path}/`]) await call('POST', `sys/auth/${auth.path}`, { type: auth.type, description: auth.description });
    // The provider tunes the backend with the tune block's set fields (null means unset).
    for (const tune of auth.tune ?? []) {
      await call('POST', `sys/auth/${auth.path}/tune`, Object.fromEntries(Object.entries(tune).filter(([, v]) => v !== null)));
    }
  }
  for (const config of each('vault_kubernetes_auth_backend_config')) {
    const { backend, ...fields } = config;
    await call('POST', `auth/${backend}/config`, fields);
  }
  for (const role of each('vault_kubernetes_auth_backend_role')) {
    const { backend, role_name: name, ...fields } = role;
    await call('POST', `auth/${backend}/role/${name}`, fields);
  }
}

/**
 * A token as the synthesized Kubernetes-auth role `name` issues one: its policies, its default policy
 * or none (`token_no_default_policy`), its TTL. Stands in for a login where no API server reviews
 * tokens (kubernetes-login.test.ts logs in for real).
 */
export async function tokenAsRole(server: { addr: string; rootToken: string }, json: any, name: string): Promise<string> {
  const role = resolveRefs(json.resource.vault_kubernetes_auth_backend_role[name], json.resource);
  const { status, body } = await vaultApi(server.addr, server.rootToken, 'POST', 'auth/token/create', {
    policies: role.token_policies,
    no_default_policy: role.token_no_default_policy === true,
    ttl: `${role.token_ttl}s`,
  });
  if (status !== 200) throw new Error(`token create: ${status}`);
  return body.auth.client_token;
}

/**
 * The rules of a Vault policy as OpenBao stores it, `path → capabilities`: every `path` block, each of
 * one `capabilities` list. Fails when a block does not parse, so that no rule goes unseen.
 */
export function policyRules(hcl: string): Record<string, string[]> {
  const blocks = [...hcl.matchAll(/^path\s+"([^"]*)"\s*\{\s*capabilities\s*=\s*\[([^\]]*)\]\s*\}/gm)];
  const paths = hcl.match(/^\s*path\b/gm) ?? [];
  if (blocks.length !== paths.length) throw new Error(`${paths.length - blocks.length} path blocks of the policy do not parse:\n${hcl}`);
  const rules: Record<string, string[]> = {};
  for (const [, path, capabilities] of blocks) {
    if (path in rules) throw new Error(`path "${path}" twice in the policy`);
    rules[path] = [...capabilities.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  }
  return rules;
}

/** A token holding `policies` plus Vault's default policy, as a userpass login would. */
export async function tokenWith(server: { addr: string; rootToken: string }, policies: string[]): Promise<string> {
  const { status, body } = await vaultApi(server.addr, server.rootToken, 'POST', 'auth/token/create', {
    policies,
    // Real logins carry the default policy too; it grants nothing under the mount.
    no_default_policy: false,
    ttl: '10m',
  });
  if (status !== 200) throw new Error(`token create: ${status}`);
  return body.auth.client_token;
}
