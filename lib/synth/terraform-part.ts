import { copyFileSync, existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { App, Manifest } from 'cdktf';
import type { KmsUnsealSettings } from '../platform';
import { KmsUnsealStack, StateBackendConfig, VaultStack } from '../tf';
import type { OutputPart } from './output-part';

/** Stack names: the folders under `<output>/stacks/` and the argument of `cdktf deploy`. */
export const TERRAFORM_STACKS = {
  vault: 'vault',
  kmsUnseal: 'kms-unseal',
} as const;

/** cdktf's own default output folder, also `output` in cdktf.json. */
export const DEFAULT_TERRAFORM_OUTDIR = 'cdktf.out';

/** The platform settings the Terraform stacks need beyond the catalog. */
export interface TerraformPartOptions {
  /** The AWS KMS unseal key's region, alias and IAM user. */
  readonly kmsUnseal: KmsUnsealSettings;
  /** Kubernetes API address Vault's Kubernetes auth calls. @default 'https://kubernetes.default.svc' */
  readonly kubernetesHost?: string;
  /** PEM CA of the Kubernetes API, for a Vault outside the cluster. @default none (Vault in the cluster uses its own) */
  readonly kubernetesCaCert?: string;
  /** Versions KV v2 keeps per secret. @default 10 */
  readonly kvMaxVersions?: number;
  /** Where Terraform keeps the state of both stacks. @default local files in `state/` beside the output folder */
  readonly stateBackend?: StateBackendConfig;
}

/**
 * The Terraform JSON of both stacks (`<output>/manifest.json`, `<output>/stacks/<stack>/cdk.tf.json`),
 * the layout `cdktf deploy` reads. Vault and KMS are separate stacks: different providers, different
 * credentials, and the KMS key must outlive any Vault change.
 */
export function terraformPart(target: string, options: TerraformPartOptions): OutputPart {
  return {
    name: 'terraform',
    target,
    kind: 'dir',
    render(catalog, staging) {
      const app = new App({ outdir: staging, stackTraces: false });
      new VaultStack(app, TERRAFORM_STACKS.vault, {
        catalog,
        kubernetesHost: options.kubernetesHost,
        kubernetesCaCert: options.kubernetesCaCert,
        maxVersions: options.kvMaxVersions,
        backend: options.stateBackend,
      });
      new KmsUnsealStack(app, TERRAFORM_STACKS.kmsUnseal, { ...options.kmsUnseal, backend: options.stateBackend });
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
