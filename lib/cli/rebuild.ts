import type { Command } from 'commander';
import type { SecretCatalog } from '../catalog';
import { KMS_UNSEAL_DEFAULTS, VAULT_AWS_KMS_SECRET } from '../platform/kms-unseal';
import { CliContext, EXIT, ReportExit, kmsStackDir } from './context';
import { OPERATOR_LOGIN_DEFAULTS, renderOperatorLoginCommand, renderOperatorUserCommand } from '../tf/operator-login-names';
import { renderPutCommand } from './new-path';

/**
 * The Vault Application's Helm release `vault` (lib/argocd VAULT_DEFAULTS.name), standalone: its one pod
 * and that pod's data volume claim (the chart's volumeClaimTemplate `data`).
 */
export const VAULT_HELM = {
  pod: 'vault-0',
  dataClaim: 'data-vault-0',
} as const;

/** `vault operator init` with the awskms seal: recovery key shares and how many of them recover. */
export const RECOVERY_SHARES = 5;
export const RECOVERY_THRESHOLD = 3;

/** The cdktf stack of the mount, auth and policies (TERRAFORM_STACKS.vault of lib/synth/terraform-part). */
export const VAULT_STACK = 'vault';

/** Stands for the Velero backup to restore; `velero backup get` lists them. */
export const BACKUP_PLACEHOLDER = '<BACKUP>';

/** The file `rebuild` has the operator write Vault's CA certificate to (a public certificate, not a secret). */
export const VAULT_CA_FILE = 'vault-ca.crt';

/** Vault's service, from the store's in-cluster address (`https://vault.vault.svc:8200` → vault in vault, 8200). */
function vaultService(catalog: SecretCatalog): { name: string; namespace: string; port: string; scheme: string } {
  const url = new URL(catalog.eso.server);
  const [name, namespace] = url.hostname.split('.');
  return {
    name,
    namespace: namespace && namespace !== 'svc' ? namespace : VAULT_AWS_KMS_SECRET.namespace,
    port: url.port || (url.protocol === 'https:' ? '443' : '80'),
    scheme: url.protocol.replace(/:$/, ''),
  };
}

/** jsonpath of a Secret key; dots in the key are escaped. */
function dataKey(key: string): string {
  return `{.data.${key.replace(/\./g, '\\.')}}`;
}

/** The disaster-recovery order as a checklist of exact commands, with the catalog's and platform's values. */
export function renderRebuild(ctx: CliContext): string {
  const { catalog } = ctx;
  const kmsDir = kmsStackDir(ctx);
  const kms = ctx.platform?.kms;
  const alias = kms?.alias ?? KMS_UNSEAL_DEFAULTS.alias;
  const region = kms ? ` --region ${kms.region}` : '';
  const svc = vaultService(catalog);
  const tls = svc.scheme === 'https';
  const ns = svc.namespace;
  const inPod = `kubectl -n ${ns} exec ${VAULT_HELM.pod} --`;
  const mergeTargets = catalog.targets.filter((t) => t.creationPolicy === 'Merge');
  const cmd = (line: string): string => `      ${line}`;
  const note = (line: string): string => `      # ${line}`;

  return [
    `Disaster recovery for the ${catalog.mount}/ mount: ${catalog.pathNames.length} paths, ${catalog.targets.length} Secrets in ${catalog.namespaces.join(', ')}.`,
    'Run from a clone of this repository after `npm ci && npm run synth` (which builds the CLI); `terraform` may be `tofu`.',
    '',
    `[ ] 1. Before the Argo CD bootstrap, create the Secret ${VAULT_AWS_KMS_SECRET.name} in namespace ${VAULT_AWS_KMS_SECRET.namespace}: Vault's awskms seal reads its KMS credentials from it.`,
    cmd(`terraform -chdir=${kmsDir} init`),
    cmd(`terraform -chdir=${kmsDir} output -json | npx homelab-secrets kms-secret`),
    note('then run the commands it prints. Without the Terraform state, the key id is:'),
    cmd(`aws kms describe-key --key-id ${alias}${region} --query KeyMetadata.KeyId --output text`),
    ...(tls
      ? [
        note(`Vault's pod also mounts its TLS Secret ${catalog.eso.caSecretName} (tls.crt, tls.key, ca.crt): issue it with cert-manager before Vault starts (docs/security.md)`),
        cmd(`kubectl -n ${catalog.eso.caSecretNamespace} get secret ${catalog.eso.caSecretName}`),
      ]
      : []),
    '',
    `[ ] 2. Bootstrap Argo CD. It deploys Vault and ESO, and Vault unseals itself through KMS. Restoring from Velero? Do 3a first.`,
    cmd(`${inPod} vault status`),
    note('expect "Seal Type awskms"; an empty volume says "Initialized false" until 3b'),
    cmd(`kubectl -n ${catalog.eso.serviceAccountNamespace} get pods`),
    '',
    `[ ] 3. Bring back Vault's data, either a) or b).`,
    `   a) Restore namespace ${ns} from Velero (Vault's pod and its volume claim ${VAULT_HELM.dataClaim}) BEFORE Argo CD syncs Vault:`,
    note('Velero fills the volume only of a pod it restores itself; Argo CD then adopts the restored objects.'),
    note('Velero reads its backups with its own credentials: if ESO writes them from Vault, create that Secret by hand first.'),
    cmd('velero backup get'),
    cmd(`velero restore create --from-backup ${BACKUP_PLACEHOLDER} --include-namespaces ${ns} --wait`),
    `   b) Or initialise an empty Vault. With the awskms seal, init prints recovery keys and a root token, not unseal keys: keep them offline.`,
    cmd(`kubectl -n ${ns} exec -ti ${VAULT_HELM.pod} -- vault operator init -recovery-shares=${RECOVERY_SHARES} -recovery-threshold=${RECOVERY_THRESHOLD}`),
    '',
    `[ ] 4. Re-populate the secrets. Reach Vault through a port-forward${tls ? ', trusting exactly its CA' : ''}, and log in:`,
    cmd(`kubectl -n ${ns} port-forward svc/${svc.name} ${svc.port}:${svc.port} &`),
    cmd(`export VAULT_ADDR=${svc.scheme}://127.0.0.1:${svc.port}`),
    ...(tls
      ? [
        note(`trust only the CA in ${catalog.eso.caSecretName} (a public certificate); Vault's certificate names 127.0.0.1, as the chart's in-pod CLI needs too`),
        cmd(`kubectl -n ${catalog.eso.caSecretNamespace} get secret ${catalog.eso.caSecretName} -o jsonpath='${dataKey(catalog.eso.caSecretKey)}' | base64 -d > ${VAULT_CA_FILE}`),
        cmd(`export VAULT_CACERT=$PWD/${VAULT_CA_FILE}`),
        note("homelab-secrets check uses Node's fetch, which reads NODE_EXTRA_CA_CERTS, not VAULT_CACERT"),
        cmd(`export NODE_EXTRA_CA_CERTS=$PWD/${VAULT_CA_FILE}`),
      ]
      : [note('Vault serves plain HTTP (tls disabled): tokens and values cross the port-forward in clear text')]),
    `   After 3a: log in as an operator (the restored Vault has the users). After 3b only, once, with the root token from init:`,
    cmd('vault login'),
    note('prompts for the root token without echo. It deploys the stack and creates the first operator login, nothing else:'),
    cmd('export VAULT_TOKEN=$(vault print token)'),
    note(`the Vault stack creates the ${catalog.mount}/ mount, ESO's auth role ${catalog.eso.role}, the policies and the ${OPERATOR_LOGIN_DEFAULTS.authPath} login`),
    cmd(`npx cdktf deploy ${VAULT_STACK}`),
    note('your operator login ($USER; any name works): the password is read without echo and sent on stdin'),
    cmd(renderOperatorUserCommand(catalog.mount)),
    note('then drop the root token: everything below needs only the operator policy'),
    cmd('vault token revoke -self'),
    cmd('unset VAULT_TOKEN'),
    `   Then, in both cases, as an operator (tokens last ${OPERATOR_LOGIN_DEFAULTS.tokenTtl}, renewable to ${OPERATOR_LOGIN_DEFAULTS.tokenMaxTtl}):`,
    cmd(renderOperatorLoginCommand()),
    note('prompts for the password without echo; `check` reads the token from VAULT_TOKEN'),
    cmd('export VAULT_TOKEN=$(vault print token)'),
    note('after 3a: only the paths `check` reports missing'),
    cmd('npx homelab-secrets check'),
    note('one line per path: it prompts for each value without echo and pipes them as JSON to `vault kv put ... -`; needs jq.'),
    note('a value of several lines (a credentials file): `npx homelab-secrets new <path>` shows how to send it from a file'),
    note('`put` replaces the whole path: change a key of an existing path with `npx homelab-secrets rotate <path> <key>`'),
    ...catalog.paths.map((path) => cmd(renderPutCommand(catalog, path))),
    '',
    `[ ] 5. ESO recreates every Secret through the ClusterSecretStore ${catalog.eso.storeName}. Sync now rather than at the next refresh, then confirm:`,
    ...catalog.pathNames.map((path) => cmd(`npx homelab-secrets force-sync ${path}`)),
    cmd(`kubectl get clustersecretstore ${catalog.eso.storeName}`),
    cmd('kubectl get externalsecret -A'),
    note('every row READY True, STATUS SecretSynced'),
    ...(mergeTargets.length > 0
      ? [note(`${mergeTargets.map((t) => `${t.namespace}/${t.name}`).join(', ')}: Merge targets, synced once their owner has created the Secret`)]
      : []),
    cmd('npx homelab-secrets check'),
    note('exit 0: Vault holds every declared path and key, and nothing else'),
    '',
  ].join('\n');
}

export function registerRebuild(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('rebuild')
    .summary('print the disaster-recovery checklist, with exact commands')
    .description('print the disaster-recovery order as a checklist of exact commands: KMS Secret, Argo CD bootstrap, Velero restore or init, re-populate, sync and check')
    .addHelpText('after', '\nExit codes: 0 printed; 2 usage error.\n\nExample:\n  $ npx homelab-secrets rebuild > rebuild.txt\n')
    .action(() => {
      ctx.stdout.write(renderRebuild(ctx));
      report(EXIT.ok);
    });
}
