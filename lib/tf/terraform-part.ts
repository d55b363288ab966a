import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Manifest } from 'cdktf';
import { type CatalogIssue, type ResolvedDeclaration, catalogIssue } from '../catalog';
import { type OutputLocation, type OutputPart, assertConstructsValid, isWithin, requirePeers } from '../synth';
import { defaultLocalStatePath } from './backend';
import { KmsUnsealStack } from './kms-unseal-stack';
import { TERRAFORM_ENTRY_POINT, TERRAFORM_PEERS } from './peers';
import { vaultStackProps } from './private/catalog-mapping';
import { TERRAFORM_STACKS } from './stack-names';
import { VaultStack } from './vault-stack';

/** Adds both stacks of the validated declaration to `app`. */
export function addTerraformStacks(app: App, declaration: ResolvedDeclaration): { vault: VaultStack; kmsUnseal?: KmsUnsealStack } {
  const { settings } = declaration;
  // Every provider package these stacks need, all named in one message if the project lacks them.
  requirePeers(TERRAFORM_ENTRY_POINT, [TERRAFORM_PEERS.vault, ...(settings.kms ? [TERRAFORM_PEERS.aws] : [])]);
  const backend = settings.terraform.stateBackend;
  const vault = new VaultStack(app, TERRAFORM_STACKS.vault, { ...vaultStackProps(declaration), backend });
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
    problems: (declaration, outputs) => statePathProblems(target, declaration, outputs),
    owns: isTerraformWorkingFile,
    adopt: keepTerraformWorkingFiles,
  };
}

/** What `terraform init` adds in a stack's folder: its working folder and lock file, which the synth takes over. */
const WORKING_FILE = /^stacks\/[^/]+\/(\.terraform|\.terraform\.lock\.hcl)$/;

function isTerraformWorkingFile(relativePath: string): boolean {
  return WORKING_FILE.test(relativePath);
}

/**
 * A local state file inside an output folder (or at an output file's path) is replaced, that is
 * deleted, by the next synth: refused as a settings mistake. The path is relative to the stack's
 * folder, `<output>/stacks/<stack>`, as Terraform reads it.
 */
function statePathProblems(target: string, declaration: ResolvedDeclaration, outputs: readonly OutputLocation[]): CatalogIssue[] {
  const backend = declaration.settings.terraform.stateBackend;
  if (backend.kind !== 'local') return [];
  const stacks = [TERRAFORM_STACKS.vault, ...(declaration.settings.kms ? [TERRAFORM_STACKS.kmsUnseal] : [])];
  return stacks.flatMap((stack) => {
    const path = backend.path ?? defaultLocalStatePath(stack);
    const state = resolve(target, Manifest.stacksFolder, stack, path);
    const inside = outputs.find((output) => (output.kind === 'dir' ? isWithin(state, output.target) : state === output.target));
    if (!inside) return [];
    return [catalogIssue('settings.terraform.stateBackend', 'path', path,
      `puts the state of the stack "${stack}" at ${state}, inside the ${inside.name} output ${inside.target}, which every synth replaces: keep it outside every output, e.g. "${defaultLocalStatePath(stack)}" (beside the Terraform output folder)`)];
  });
}

/**
 * Synth replaces the output folder as a whole, but `terraform init` keeps its provider plugins
 * (`.terraform/`) and lock file in each stack's folder. Taking them over spares a provider download
 * on every `cdktf deploy`. The previous output must stay whole (a rollback restores it), so
 * `.terraform/` is hard-linked file by file (no copy of the provider binaries) and the lock file
 * copied.
 */
function keepTerraformWorkingFiles(target: string, staging: string): void {
  const oldStacks = join(target, Manifest.stacksFolder);
  if (!existsSync(oldStacks)) return;
  for (const stack of readdirSync(join(staging, Manifest.stacksFolder))) {
    const from = join(oldStacks, stack);
    const to = join(staging, Manifest.stacksFolder, stack);
    if (existsSync(join(from, '.terraform.lock.hcl'))) copyFileSync(join(from, '.terraform.lock.hcl'), join(to, '.terraform.lock.hcl'));
    if (existsSync(join(from, '.terraform'))) linkTree(join(from, '.terraform'), join(to, '.terraform'));
  }
}

/** `to` as a copy of the tree `from` whose files are hard links; symbolic links are recreated, not followed. */
function linkTree(from: string, to: string): void {
  const stat = lstatSync(from);
  if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) linkTree(join(from, name), join(to, name));
  } else if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else {
    linkSync(from, to);
  }
}
