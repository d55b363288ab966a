// The mutations `npm run test:mutations` applies to the synthesized output, and the suites that must
// fail on each. A mutation is a change a bug, a bad merge or a hand edit could make to what is
// deployed: a widened policy, a role bound to anyone, TLS off. A suite that still passes on it does not
// test what it claims to.
import { spawnSync } from 'node:child_process';
import type { OutputName } from '../e2e/support/outputs';

/**
 * A suite run against a mutated output: a jest config, test files, and optionally a test name pattern
 * that picks the tests reading that output (the other tests of a file synthesize their own).
 *
 * Extension point: any suite that declares the tests the pattern picks inside `forEachOutput()` and
 * reads its output through `synthesizedOutput()` or `mutatedOutput()` with the folder it is given
 * (test/e2e/support/outputs.ts) can be listed here and named by mutations: one jest run then tests the
 * unmutated output and every mutated one. A real-cluster suite (test/cluster/) shares one cluster
 * between its outputs (SharedCluster, kubernetes-login.test.ts's one for the whole file), reset
 * between them.
 */
export interface Suite {
  readonly config: string;
  readonly files: readonly string[];
  readonly testNamePattern?: string;
}

export const SUITES = {
  /** The Vault stack applied to a real OpenBao: exact policies, capabilities, denials. */
  'vault-stack': { config: 'jest.e2e.config.js', files: ['test/e2e/vault-stack.test.ts'], testNamePattern: 'the vault stack applied by the Vault HTTP API calls' },
  /** Real Kubernetes-auth logins as the homelab's stores make them, reviewed by the real API server. */
  'login-homelab': { config: 'jest.cluster.config.js', files: ['test/cluster/kubernetes-login.test.ts'], testNamePattern: 'cluster isolation \\(the homelab\\)' },
  /** Every identity of the identity fixture: real logins, and the real ESO syncing through each store. */
  'login-identities': { config: 'jest.cluster.config.js', files: ['test/cluster/kubernetes-login.test.ts'], testNamePattern: 'identities:' },
  /**
   * The homelab's manifests, Vault stack and wired workloads on a real cluster: every ExternalSecret
   * synced, every row's data, Merge and Owner, rotation through Reloader (not Vault down, the slow one).
   */
  'cluster-homelab': { config: 'jest.cluster.config.js', files: ['test/cluster/homelab.test.ts'], testNamePattern: ' (every ExternalSecret of the committed manifests|every row:|Merge:|Owner:|rotation:)' },
  /** helm template of the homelab's Applications, and the rendered Vault listener run by OpenBao. */
  'helm-argocd': { config: 'jest.e2e.config.js', files: ['test/e2e/helm-template.test.ts'], testNamePattern: 'Argo CD Application' },
} as const satisfies Record<string, Suite>;

export type SuiteName = keyof typeof SUITES;

/** Which output file a mutation changes, as parsed data. */
export type MutatedFile =
  /** `cdktf.out/stacks/vault/cdk.tf.json` */
  | 'vault-stack'
  /** `manifests/argocd-applications.yaml` */
  | 'applications'
  /** `manifests/cluster-secret-store.yaml` */
  | 'cluster-secret-store'
  /** `manifests/externalsecrets-argocd.yaml` (the homelab's) */
  | 'externalsecrets-argocd'
  /** `manifests/externalsecrets-arr.yaml` (the homelab's) */
  | 'externalsecrets-arr'
  /** `workloads/wired-workloads.yaml`: the Deployments wired with wireSecret (the homelab's) */
  | 'workloads';

/** One mutation: where, what, and which suites must fail on it (tried in order; the first failure kills it). */
export interface Mutation {
  readonly name: string;
  readonly output: OutputName;
  readonly file: MutatedFile;
  readonly suites: readonly SuiteName[];
  /** Changes the parsed file in place (JSON, or the YAML file's documents). */
  readonly mutate: (data: any) => void;
}

/** The resource `type.name` of a parsed stack, or an error naming it. */
function resource(stack: any, type: string, name: string): any {
  const found = stack.resource?.[type]?.[name];
  if (found === undefined) throw new Error(`the vault stack has no ${type}.${name}`);
  return found;
}

/** Replaces `from` by `to` in the policy of `vault_policy.<name>`; an error if `from` is not there. */
function inPolicy(name: string, from: string, to: string): (stack: any) => void {
  return (stack) => {
    const policy = resource(stack, 'vault_policy', name);
    if (!policy.policy.includes(from)) throw new Error(`policy ${name} does not contain ${JSON.stringify(from)}`);
    policy.policy = policy.policy.split(from).join(to);
  };
}

/** Changes the role `vault_kubernetes_auth_backend_role.<name>`. */
function inRole(name: string, change: (role: any) => void): (stack: any) => void {
  return (stack) => change(resource(stack, 'vault_kubernetes_auth_backend_role', name));
}

/** Changes the values of the Vault Application. */
function inVaultValues(change: (values: any) => void): (documents: any[]) => void {
  return (documents) => {
    const vault = documents.find((d) => d.kind === 'Application' && d.metadata.name === 'vault');
    if (!vault) throw new Error('no Application vault in argocd-applications.yaml');
    change(vault.spec.source.helm.valuesObject);
  };
}

const MINIO = 'path "homelab/data/infrastructure/minio" {';

/** The document of a parsed YAML file with this kind and name, or an error naming them. */
function documentOf(documents: any[], kind: string, name: string): any {
  const found = documents.find((d) => d?.kind === kind && d.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the file`);
  return found;
}

/** A fresh self-signed CA certificate (its key thrown away): a CA that did not sign Vault's certificate. */
function anotherCa(): string {
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null',
    '-subj', '/CN=not-vault-ca', '-days', '1'], { encoding: 'utf8' });
  if (made.status !== 0 || !made.stdout.includes('BEGIN CERTIFICATE')) throw new Error(`openssl could not make a CA: ${made.stderr}`);
  return made.stdout;
}

export const MUTATIONS: readonly Mutation[] = [
  // The ESO policy.
  { name: 'ESO policy: a glob at another prefix with the same leaf (homelab/data/+/minio)', output: 'homelab', file: 'vault-stack', suites: ['vault-stack', 'login-homelab'],
    mutate: inPolicy('eso_read_policy', MINIO, 'path "homelab/data/+/minio" {') },
  { name: 'ESO policy: another prefix with the same leaf (homelab/data/other/minio)', output: 'homelab', file: 'vault-stack', suites: ['vault-stack', 'login-homelab'],
    mutate: inPolicy('eso_read_policy', MINIO, 'path "homelab/data/other/minio" {') },
  { name: 'ESO policy: a path at another mount (homelab2/data/...)', output: 'homelab', file: 'vault-stack', suites: ['vault-stack', 'login-homelab'],
    mutate: inPolicy('eso_read_policy', MINIO, 'path "homelab2/data/infrastructure/minio" {') },
  { name: 'ESO policy: another mount granted besides (elsewhere/data/apps/vpn)', output: 'homelab', file: 'vault-stack', suites: ['vault-stack'],
    mutate: inPolicy('eso_read_policy', MINIO, `path "elsewhere/data/apps/vpn" {\n  capabilities = ["read"]\n}\n\n${MINIO}`) },
  { name: 'ESO policy: one declared path missing (homelab/data/infrastructure/minio)', output: 'homelab', file: 'vault-stack', suites: ['login-homelab'],
    mutate: inPolicy('eso_read_policy', `${MINIO}\n  capabilities = ["read"]\n}\n\n`, '') },
  { name: 'ESO policy: an added capability (list on a read path)', output: 'homelab', file: 'vault-stack', suites: ['vault-stack'],
    mutate: inPolicy('eso_read_policy', `${MINIO}\n  capabilities = ["read"]`, `${MINIO}\n  capabilities = ["read", "list"]`) },
  { name: 'ESO policy: an added capability (update on a read path)', output: 'homelab', file: 'vault-stack', suites: ['vault-stack'],
    mutate: inPolicy('eso_read_policy', `${MINIO}\n  capabilities = ["read"]`, `${MINIO}\n  capabilities = ["read", "update"]`) },
  { name: 'ESO policy: metadata granted (homelab/metadata/infrastructure/minio)', output: 'homelab', file: 'vault-stack', suites: ['vault-stack'],
    mutate: inPolicy('eso_read_policy', MINIO, `path "homelab/metadata/infrastructure/minio" {\n  capabilities = ["read"]\n}\n\n${MINIO}`) },
  { name: 'identity fixture: one identity\'s policy grants another\'s path', output: 'identities', file: 'vault-stack', suites: ['login-identities'],
    mutate: inPolicy('eso_read_policy_sonarr', 'path "kv/data/apps/sonarr" {', 'path "kv/data/apps/radarr" {\n  capabilities = ["read"]\n}\n\npath "kv/data/apps/sonarr" {') },
  // The operator policy.
  { name: 'operator policy: metadata delete without the opt-in', output: 'homelab', file: 'vault-stack', suites: ['vault-stack'],
    mutate: inPolicy('operator_policy', 'capabilities = ["read", "list"]', 'capabilities = ["read", "delete", "list"]') },
  // The roles.
  { name: 'role: bound to every ServiceAccount name (*)', output: 'homelab', file: 'vault-stack', suites: ['login-homelab'],
    mutate: inRole('kubernetes_auth_role', (role) => { role.bound_service_account_names = ['*']; }) },
  { name: 'role: bound to every namespace (*)', output: 'homelab', file: 'vault-stack', suites: ['login-homelab'],
    mutate: inRole('kubernetes_auth_role', (role) => { role.bound_service_account_namespaces = ['*']; }) },
  { name: 'identity fixture: a role bound to every namespace (*)', output: 'identities', file: 'vault-stack', suites: ['login-identities'],
    mutate: inRole('kubernetes_auth_role_arr_shared', (role) => { role.bound_service_account_namespaces = ['*']; }) },
  { name: 'role: the audience removed', output: 'homelab', file: 'vault-stack', suites: ['login-homelab'],
    mutate: inRole('kubernetes_auth_role', (role) => { delete role.audience; }) },
  { name: 'role: tokens carry the default policy again', output: 'homelab', file: 'vault-stack', suites: ['vault-stack', 'login-homelab'],
    mutate: inRole('kubernetes_auth_role', (role) => { delete role.token_no_default_policy; }) },
  { name: 'role: tokens live longer than the catalog says', output: 'homelab', file: 'vault-stack', suites: ['login-homelab'],
    mutate: inRole('kubernetes_auth_role', (role) => { role.token_ttl = 86400; role.token_max_ttl = 86400; }) },
  // The auth config, and the store's side of it.
  { name: 'auth config: another API server address', output: 'homelab', file: 'vault-stack', suites: ['login-homelab'],
    mutate: (stack) => { resource(stack, 'vault_kubernetes_auth_backend_config', 'kubernetes_auth_config').kubernetes_host = 'https://kubernetes.example.invalid'; } },
  { name: 'store: the audience removed from the ServiceAccount token', output: 'homelab', file: 'cluster-secret-store', suites: ['login-homelab'],
    mutate: (documents) => { delete documents[0].spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences; } },
  // What only a real cluster decides: ESO, the API server, Reloader.
  { name: 'store: its CA replaced by another CA (caBundle)', output: 'homelab', file: 'cluster-secret-store', suites: ['cluster-homelab'],
    mutate: (documents) => {
      const vault = documentOf(documents, 'ClusterSecretStore', 'vault-backend').spec.provider.vault;
      delete vault.caProvider;
      vault.caBundle = Buffer.from(anotherCa()).toString('base64');
    } },
  { name: 'a Merge target turned into Owner (argocd-secret)', output: 'homelab', file: 'externalsecrets-argocd', suites: ['cluster-homelab'],
    mutate: (documents) => {
      const target = documentOf(documents, 'ExternalSecret', 'argocd-secret').spec.target;
      if (target.creationPolicy !== 'Merge') throw new Error(`argocd-secret's creationPolicy is ${target.creationPolicy}, not Merge`);
      target.creationPolicy = 'Owner';
    } },
  { name: 'one ExternalSecret\'s property misspelled (vpn-credentials: OPENVPN_USER)', output: 'homelab', file: 'externalsecrets-arr', suites: ['cluster-homelab'],
    mutate: (documents) => {
      const data = documentOf(documents, 'ExternalSecret', 'vpn-credentials').spec.data.find((d: any) => d.remoteRef.property === 'OPENVPN_USER');
      if (!data) throw new Error('vpn-credentials reads no OPENVPN_USER');
      data.remoteRef.property = 'OPENVPN_USR';
    } },
  { name: 'the Reloader annotation removed from a wired Deployment (openclaw)', output: 'homelab', file: 'workloads', suites: ['cluster-homelab'],
    mutate: (documents) => {
      const annotations = documentOf(documents, 'Deployment', 'openclaw').metadata.annotations ?? {};
      const reloader = Object.keys(annotations).filter((k) => k.startsWith('reloader.stakater.com/') || k.endsWith('.reloader.stakater.com/reload'));
      if (reloader.length === 0) throw new Error('the openclaw Deployment has no Reloader annotation');
      for (const key of reloader) delete annotations[key];
    } },
  { name: 'identity fixture: a ClusterSecretStore\'s conditions removed (vault-observability)', output: 'identities', file: 'cluster-secret-store', suites: ['login-identities'],
    mutate: (documents) => { delete documentOf(documents, 'ClusterSecretStore', 'vault-observability').spec.conditions; } },
  // The Vault chart's values.
  { name: 'Vault values: the listener\'s TLS off (tls_disable = 1)', output: 'homelab', file: 'applications', suites: ['helm-argocd'],
    mutate: inVaultValues((values) => {
      const config: string = values.server.standalone.config;
      if (!config.includes('tls_disable     = false')) throw new Error('the Vault config has no "tls_disable     = false"');
      values.server.standalone.config = config.replace('tls_disable     = false', 'tls_disable     = 1');
    }) },
  { name: 'Vault values: global.tlsDisable true', output: 'homelab', file: 'applications', suites: ['helm-argocd'],
    mutate: inVaultValues((values) => { values.global.tlsDisable = true; }) },
];
