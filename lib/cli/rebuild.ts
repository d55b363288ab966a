import type { Command } from 'commander';
import { type EsoIdentity, VAULT_TLS_DEFAULTS } from '../catalog';
import { OPERATOR_LOGIN_DEFAULTS, renderOperatorLoginCommand, renderOperatorUserCommand } from '../tf/operator-login-names';
import { TERRAFORM_STACKS } from '../tf/stack-names';
import { CliContext, EXIT, ReportExit, cliSettings, kmsStackDir } from './context';
import { operands, printable, shellAssignment, shellCommand, shellQuote } from './shell';

/**
 * The Vault chart's standalone StatefulSet is named after the release: its one pod is `<release>-0`
 * and that pod's data volume claim `data-<release>-0` (the chart's volumeClaimTemplate `data`).
 */
export function vaultHelmNames(releaseName: string): { readonly pod: string; readonly dataClaim: string } {
  return { pod: `${releaseName}-0`, dataClaim: `data-${releaseName}-0` };
}

/** `vault operator init` with the awskms seal: recovery key shares and how many of them recover. */
export const RECOVERY_SHARES = 5;
export const RECOVERY_THRESHOLD = 3;

/** The cdktf stack of the mount, auth and policies. */
export const VAULT_STACK = TERRAFORM_STACKS.vault;

/** Stands for the Velero backup to restore; `velero backup get` lists them. */
export const BACKUP_PLACEHOLDER = '<BACKUP>';

/** The file `rebuild` has the operator write Vault's CA certificate to (a public certificate, not a secret). */
export const VAULT_CA_FILE = 'vault-ca.crt';

/** `3 keys`, `1 key` */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** jsonpath of a Secret key; dots in the key are escaped. */
function dataKey(key: string): string {
  return `{.data.${key.replace(/\./g, '\\.')}}`;
}

/** The disaster-recovery order as a checklist of exact commands, with the catalog's and platform's values. */
export function renderRebuild(ctx: CliContext): string {
  const { catalog } = ctx;
  const identities = catalog.identities;
  const roles = [...new Set(identities.map((i) => i.role))];
  const kmsDir = kmsStackDir(ctx);
  const settings = cliSettings(ctx);
  const { kms, vault, components } = settings;
  const region = kms && settings.regionKnown ? ['--region', kms.region] : [];
  const tls = vault.tlsSecretName !== undefined;
  const inCluster = !vault.external;
  const svc = { name: vault.releaseName, port: String(vault.port), scheme: tls ? 'https' : 'http' };
  const ns = vault.namespace;
  const helm = vaultHelmNames(vault.releaseName);
  const inPod = ['kubectl', '-n', ns, 'exec', helm.pod, '--'];
  const mergeTargets = catalog.targets.filter((t) => t.creationPolicy === 'Merge');
  // Every command line is an argv quoted word by word, or a fixed line of ours; every other line is
  // prose, where a value's control characters are shown as escapes (shell.ts).
  const cmd = (line: string | readonly string[]): string => `      ${typeof line === 'string' ? line : shellCommand(line)}`;
  const note = (line: string): string => `      # ${printable(line)}`;
  const onArgo = settings.gitops === 'argocd';
  // The tool that installs the components: Argo CD's Applications or Flux's HelmReleases; none under plain.
  const installer = onArgo ? 'Argo CD' : settings.gitops === 'flux' ? 'Flux' : undefined;
  const bootstrap = installer ? `the ${installer} bootstrap` : 'your GitOps bootstrap';

  const steps: { title: (n: number) => string; lines: string[] }[] = [];
  const tlsLines = tls && inCluster
    ? [
      note(`Vault's pod also mounts its TLS Secret ${vault.tlsSecretName} (tls.crt, tls.key, ca.crt): issue it with cert-manager before Vault starts (docs/security.md)`),
      cmd(['kubectl', '-n', ns, 'get', 'secret', vault.tlsSecretName!]),
    ]
    : [];
  if (kms) {
    steps.push({
      title: (n) => `[ ] ${n}. Before ${bootstrap}, create the Secret ${kms.secretName} in namespace ${kms.secretNamespace}: Vault's awskms seal reads its KMS credentials from it.`,
      lines: [
        cmd(['terraform', `-chdir=${kmsDir}`, 'init']),
        cmd(`${shellCommand(['terraform', `-chdir=${kmsDir}`, 'output', '-json'])} | npx homelab-secrets kms-secret`),
        note('then run the commands it prints. Without the Terraform state, the key id is:'),
        cmd(['aws', 'kms', 'describe-key', '--key-id', kms.alias, ...region, '--query', 'KeyMetadata.KeyId', '--output', 'text']),
        ...tlsLines,
      ],
    });
  } else if (tlsLines.length > 0) {
    steps.push({ title: (n) => `[ ] ${n}. Before ${bootstrap}, issue Vault's TLS Secret ${vault.tlsSecretName} in namespace ${ns}.`, lines: tlsLines });
  }

  const dataStep = steps.length + 2;
  const unseal = kms ? 'Vault unseals itself through KMS' : 'Vault starts sealed (no KMS auto-unseal)';
  if (inCluster) {
    const installs = [components.vault ? 'Vault' : undefined, components.externalSecrets ? 'ESO' : undefined].filter((c) => c !== undefined);
    steps.push({
      title: (n) => installer && installs.length > 0
        ? `[ ] ${n}. Bootstrap ${installer}. It deploys ${installs.join(' and ')}, and ${unseal}. Restoring from Velero? Do ${dataStep}a first.`
        : `[ ] ${n}. Install Vault and ESO with your own tooling, then apply the manifests folder; ${unseal}. Restoring from Velero? Do ${dataStep}a first.`,
      lines: [
        cmd([...inPod, 'vault', 'status']),
        note(`${kms ? 'expect "Seal Type awskms"; ' : ''}an empty volume says "Initialized false" until ${dataStep}b`),
        cmd(['kubectl', '-n', catalog.eso.serviceAccountNamespace, 'get', 'pods']),
      ],
    });
    steps.push({
      title: (n) => `[ ] ${n}. Bring back Vault's data, either a) or b).`,
      lines: [
        printable(`   a) Restore namespace ${ns} from Velero (Vault's pod and its volume claim ${helm.dataClaim}) BEFORE ${installer && components.vault ? `${installer} ${onArgo ? 'syncs' : 'installs'} Vault` : 'Vault is installed'}:`),
        note(`Velero fills the volume only of a pod it restores itself; ${installer && components.vault ? installer : 'your tooling'} then adopts the restored objects.`),
        note('Velero reads its backups with its own credentials: if ESO writes them from Vault, create that Secret by hand first.'),
        cmd('velero backup get'),
        // The placeholder stays bare: the operator replaces it with a backup's name before pasting.
        cmd(`velero restore create --from-backup ${BACKUP_PLACEHOLDER} ${shellCommand(['--include-namespaces', ns, '--wait'])}`),
        ...(kms
          ? [
            `   b) Or initialise an empty Vault. With the awskms seal, init prints recovery keys and a root token, not unseal keys: keep them offline.`,
            cmd(['kubectl', '-n', ns, 'exec', '-ti', helm.pod, '--', 'vault', 'operator', 'init', `-recovery-shares=${RECOVERY_SHARES}`, `-recovery-threshold=${RECOVERY_THRESHOLD}`]),
          ]
          : [
            `   b) Or initialise an empty Vault. Without KMS, init prints unseal keys and a root token: keep them offline, and unseal after every restart.`,
            cmd(['kubectl', '-n', ns, 'exec', '-ti', helm.pod, '--', 'vault', 'operator', 'init', `-key-shares=${RECOVERY_SHARES}`, `-key-threshold=${RECOVERY_THRESHOLD}`]),
            note(`${RECOVERY_THRESHOLD} times, each with another unseal key, typed at the prompt without echo (after a) too, with the backup's keys):`),
            cmd(['kubectl', '-n', ns, 'exec', '-ti', helm.pod, '--', 'vault', 'operator', 'unseal']),
          ]),
      ],
    });
  } else {
    steps.push({
      title: (n) => `[ ] ${n}. Vault runs outside the cluster, at ${vault.address}: bring it and its data back the way you run it, then bootstrap ESO.`,
      lines: [cmd(['kubectl', '-n', catalog.eso.serviceAccountNamespace, 'get', 'pods'])],
    });
  }

  const generatedKeys = catalog.paths.flatMap((path) => path.keys.filter((key) => path.originOf(key)?.kind === 'generated'));
  const personKeys = catalog.paths.flatMap((path) => path.keys.filter((key) => path.originOf(key)?.kind !== 'generated').map((key) => {
    const origin = path.originOf(key);
    const where = origin?.kind === 'external' ? `${origin.hint}${origin.url !== undefined ? ` (${origin.url})` : ''}` : '(no origin declared)';
    return `${path.path} ${key}: ${where}`;
  }));
  const login = [
    `   After ${inCluster ? `${dataStep}a` : 'a restore'}: log in as an operator (the restored Vault has the users). After ${inCluster ? `${dataStep}b only` : 'a fresh init only'}, once, with the root token from init:`,
    cmd('vault login -no-print'),
    note('prompts for the root token without echo, and -no-print keeps it off the terminal. It deploys the stack and creates the first operator login, nothing else:'),
    cmd('export VAULT_TOKEN=$(vault print token)'),
    note(`the Vault stack creates the ${catalog.mount}/ mount, ESO's auth ${roles.length === 1 ? `role ${roles[0]}` : `roles ${roles.join(', ')}`}, the policies and the ${OPERATOR_LOGIN_DEFAULTS.authPath} login`),
    cmd(['npx', 'cdktf', 'deploy', VAULT_STACK]),
    note('your operator login ($USER; any name works): the password is read without echo and sent on stdin'),
    cmd(renderOperatorUserCommand(catalog.mount)),
    note('then drop the root token: everything below needs only the operator policy'),
    cmd('vault token revoke -self'),
    cmd('unset VAULT_TOKEN'),
    `   Then, in both cases, as an operator (tokens last ${OPERATOR_LOGIN_DEFAULTS.tokenTtl}, renewable to ${OPERATOR_LOGIN_DEFAULTS.tokenMaxTtl}):`,
    cmd(renderOperatorLoginCommand()),
    note('prompts for the password without echo; vault keeps the token in ~/.vault-token, where seed and check read it'),
    note(`writes every missing generated key (${count(generatedKeys.length, 'key')}) straight into Vault, then asks for each missing key a person enters,`),
    note(`hidden and typed twice; after ${inCluster ? `${dataStep}a` : 'a restore'} it writes only what is missing. \`--dry-run\` says what it would do.`),
    cmd('npx homelab-secrets seed'),
    ...(personKeys.length > 0
      ? [
        note(`the ${count(personKeys.length, 'key')} it asks for, and where to get each (also in docs/secrets.md):`),
        ...personKeys.map((line) => note(`  ${line}`)),
        note('a value of several lines (a credentials file) cannot be typed at a prompt: skip it there, then send the file:'),
        note('`npx homelab-secrets new <path>` shows how for a new path, `npx homelab-secrets rotate <path> <key> < file` sets a key'),
      ]
      : []),
  ];
  const caLines = tls
    ? [
      note(`trust only the CA in ${vault.tlsSecretName} (a public certificate); Vault's certificate names 127.0.0.1, as the chart's in-pod CLI needs too`),
      cmd(`${shellCommand(['kubectl', '-n', ns, 'get', 'secret', vault.tlsSecretName!, '-o'])} jsonpath=${shellQuote(dataKey(VAULT_TLS_DEFAULTS.caKey))} | base64 -d > ${VAULT_CA_FILE}`),
      note('vault and homelab-secrets trust this CA and nothing else (no system roots)'),
      cmd(`export VAULT_CACERT=$PWD/${VAULT_CA_FILE}`),
    ]
    : [note('Vault serves plain HTTP (tls disabled): tokens and values cross the port-forward in clear text')];
  steps.push({
    title: (n) => inCluster
      ? `[ ] ${n}. Re-populate the secrets. Reach Vault through a port-forward${tls ? ', trusting exactly its CA' : ''}, and log in:`
      : `[ ] ${n}. Re-populate the secrets. Reach Vault at its address${tls ? ', trusting exactly its CA' : ''}, and log in:`,
    lines: [
      ...(inCluster
        ? [cmd(`${shellCommand(['kubectl', '-n', ns, 'port-forward', `svc/${svc.name}`, `${svc.port}:${svc.port}`])} &`), cmd(`export ${shellAssignment('VAULT_ADDR', `${svc.scheme}://127.0.0.1:${svc.port}`)}`)]
        : [cmd(`export ${shellAssignment('VAULT_ADDR', vault.address)}`)]),
      ...caLines,
      ...login,
    ],
  });

  const clusterStores = [...new Set(identities.filter((i) => i.store.kind === 'ClusterSecretStore').map((i) => i.store.name))];
  const secretStores = [...new Set(identities.filter((i) => i.store.kind === 'SecretStore').map((i) => i.store.name))];
  const onlyClusterStore = secretStores.length === 0 && clusterStores.length === 1;
  steps.push({
    title: (n) => onlyClusterStore
      ? `[ ] ${n}. ESO recreates every Secret through the ClusterSecretStore ${clusterStores[0]}. Sync now rather than at the next refresh, then confirm:`
      : `[ ] ${n}. ESO recreates every Secret through the store of its identity (${identities.map(describeIdentity).join('; ')}). Sync now rather than at the next refresh, then confirm:`,
    lines: [
      ...catalog.esoPathNames.map((path) => cmd(['npx', 'homelab-secrets', 'force-sync', ...operands(path)])),
      ...(clusterStores.length > 0 ? [cmd(['kubectl', 'get', 'clustersecretstore', ...clusterStores])] : []),
      ...(secretStores.length === 1 ? [cmd(['kubectl', 'get', 'secretstore', '-A', '--field-selector', `metadata.name=${secretStores[0]}`])] : []),
      ...(secretStores.length > 1 ? [cmd('kubectl get secretstore -A')] : []),
      cmd('kubectl get externalsecret -A'),
      note('every row READY True, STATUS SecretSynced'),
      ...(mergeTargets.length > 0
        ? [note(`${mergeTargets.map((t) => `${t.namespace}/${t.name}`).join(', ')}: Merge targets, synced once their owner has created the Secret`)]
        : []),
      ...(catalog.operatorPaths.length > 0
        ? [note(`${catalog.operatorPaths.map((p) => p.path).join(', ')}: read by operators and other tools only, no ExternalSecret to sync`)]
        : []),
      cmd('npx homelab-secrets check'),
      note('exit 0: Vault holds every declared path and key, and nothing else'),
    ],
  });

  return [
    printable(`Disaster recovery for the ${catalog.mount}/ mount: ${catalog.pathNames.length} paths, ${catalog.targets.length} Secrets in ${catalog.namespaces.join(', ')}.`),
    'Run from a checkout of the repository that declares the catalog, after installing and synthesizing it (which builds the CLI); `terraform` may be `tofu`.',
    '',
    ...steps.flatMap((step, index) => [printable(step.title(index + 1)), ...step.lines, '']),
  ].join('\n');
}

/** `SecretStore vault in media, downloads, role media`: where an identity's store is (or whom it serves), and its Vault role. */
function describeIdentity(identity: EsoIdentity): string {
  const where = identity.store.kind === 'ClusterSecretStore' ? 'for' : 'in';
  return `${identity.store.kind} ${identity.store.name} ${where} ${identity.store.namespaces.join(', ')}, role ${identity.role}`;
}

export function registerRebuild(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('rebuild')
    .summary('print the disaster-recovery checklist, with exact commands')
    .description('print the disaster-recovery order as a checklist of exact commands: KMS Secret, Argo CD bootstrap, Velero restore or init, seed, sync and check')
    .addHelpText('after', '\nExample:\n  $ npx homelab-secrets rebuild > rebuild.txt\n')
    .action(() => {
      ctx.stdout.write(renderRebuild(ctx));
      report(EXIT.ok);
    });
}
