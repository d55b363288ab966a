import { copyFileSync, existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { App, Manifest } from 'cdktf';
import { type ResolvedDeclaration, namespaceIdentity } from '../catalog';
import { type OutputPart, assertConstructsValid, requirePeers } from '../synth';
import { KmsUnsealStack } from './kms-unseal-stack';
import { TERRAFORM_ENTRY_POINT, TERRAFORM_PEERS } from './peers';
import { TERRAFORM_STACKS } from './stack-names';
import { VaultStack } from './vault-stack';

/** Adds both stacks of the validated declaration to `app`. */
export function addTerraformStacks(app: App, declaration: ResolvedDeclaration): { vault: VaultStack; kmsUnseal?: KmsUnsealStack } {
  const { catalog, settings } = declaration;
  // Every provider package these stacks need, all named in one message if the project lacks them.
  requirePeers(TERRAFORM_ENTRY_POINT, [TERRAFORM_PEERS.vault, ...(settings.kms ? [TERRAFORM_PEERS.aws] : [])]);
  const backend = settings.terraform.stateBackend;
  const vault = new VaultStack(app, TERRAFORM_STACKS.vault, {
    mount: catalog.mount,
    esoReadPaths: catalog.esoPathNames,
    access: catalog.eso,
    vaultRole: catalog.vaultRole,
    kubernetesHost: settings.vault.kubernetesHost,
    kubernetesCaCert: settings.vault.kubernetesCaCert,
    maxVersions: settings.vault.kvMaxVersions,
    namespaceReaders: catalog.isolation === 'namespace'
      ? catalog.namespaces.map((namespace) => {
        const identity = namespaceIdentity(catalog.eso, namespace);
        return { namespace, paths: catalog.esoPathNamesOf(namespace), role: identity.role, serviceAccountName: identity.serviceAccountName };
      })
      : undefined,
    backend,
  });
  const { kms } = settings;
  const kmsUnseal = kms === undefined ? undefined : new KmsUnsealStack(app, TERRAFORM_STACKS.kmsUnseal, {
    region: kms.region,
    alias: kms.alias,
    iamUserName: kms.iamUserName,
    backend,
  });
  return { vault, kmsUnseal };
}

/**
 * The Terraform JSON of both stacks (`<output>/manifest.json`, `<output>/stacks/<stack>/cdk.tf.json`;
 * the KMS stack only when the settings declare a KMS key),
 * the layout `cdktf deploy` reads. Vault and KMS are separate stacks: different providers, different
 * credentials, and the KMS key must outlive any Vault change.
 */
export function terraformPart(target: string): OutputPart {
  return {
    name: 'terraform',
    target,
    kind: 'dir',
    render(declaration, staging) {
      const app = new App({ outdir: staging, stackTraces: false });
      addTerraformStacks(app, declaration);
      assertConstructsValid(app);
      app.synth();
    },
    adopt: keepTerraformWorkingFiles,
  };
}

/**
 * Synth replaces the output folder as a whole, but `terraform init` keeps its provider plugins
 * (`.terraform/`) and lock file in each stack's folder. Taking them over spares a provider download
 * on every `cdktf deploy`. Runs only after every part rendered, so `.terraform/` can be moved (the
 * old folder is deleted right after); the lock file is copied.
 */
function keepTerraformWorkingFiles(target: string, staging: string): void {
  const oldStacks = join(target, Manifest.stacksFolder);
  if (!existsSync(oldStacks)) return;
  for (const stack of readdirSync(join(staging, Manifest.stacksFolder))) {
    const from = join(oldStacks, stack);
    const to = join(staging, Manifest.stacksFolder, stack);
    if (existsSync(join(from, '.terraform.lock.hcl'))) copyFileSync(join(from, '.terraform.lock.hcl'), join(to, '.terraform.lock.hcl'));
    if (existsSync(join(from, '.terraform'))) renameSync(join(from, '.terraform'), join(to, '.terraform'));
  }
}
