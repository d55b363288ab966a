// The synthesized output the end-to-end suites test: a fresh synth of a declaration, or, under
// `npm run test:mutations`, a mutated copy of one that the suites must then fail on.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import YAML from 'yaml';
import { homelabManifestsPart } from '../../../apps/manifests';
import { HOMELAB_SETTINGS, homelabDeclaration } from '../../../apps/homelab';
import type { Declaration } from '../../../lib/catalog';
import { manifestsPart } from '../../../lib/k8s';
import { synthOutputs } from '../../../lib/synth';
import { TERRAFORM_STACKS, terraformPart } from '../../../lib/tf';
import { identityFixtureCatalog } from '../../support/identity-fixtures';
import { wiredWorkloads } from '../../support/wired-workloads';

/**
 * One or more folders (separated by `:`) each holding, per declaration below, `<name>/manifests/` and
 * `<name>/cdktf.out/` as a synth writes them. Set by the mutation suite (test/mutations/), which runs
 * a suite once over the unmutated copy and every mutated copy it must catch; unset, every suite
 * synthesizes afresh.
 */
export const MUTATED_OUTPUT_ENV = 'HOMELAB_SECRETS_MUTATED_OUTPUT';

/** What the describe block of one output folder is called: this, then the folder's name. */
export const OUTPUT_DESCRIBE_PREFIX = 'output ';

/**
 * Declares a suite's tests once per output folder: under `npm run test:mutations`, inside a describe
 * block per folder of MUTATED_OUTPUT_ENV (named {@link OUTPUT_DESCRIBE_PREFIX} and the folder's name,
 * so that the mutation suite tells which folder a failure belongs to), each given its folder; otherwise
 * once, unwrapped, given undefined (the suite then tests the real output). A suite that starts servers
 * in a hook outside the body shares them between the folders.
 */
export function forEachOutput(body: (root: string | undefined) => void): void {
  const roots = process.env[MUTATED_OUTPUT_ENV];
  if (roots === undefined || roots === '') {
    body(undefined);
    return;
  }
  describe.each(roots.split(':').map((root) => [basename(root), root]))(`${OUTPUT_DESCRIBE_PREFIX}%s`, (_name, root) => body(root));
}

/** The declarations whose output the suites read through {@link synthesizedOutput}, by name. */
export const OUTPUT_DECLARATIONS = {
  /**
   * The reference homelab, with its Argo CD Applications (the Vault chart's values) and the Deployments
   * the docs wire to its Secrets (test/support/wired-workloads.ts).
   */
  homelab: { declaration: (): Declaration => homelabDeclaration(), applications: true, workloads: true },
  /** The identity fixture (test/support/identity-fixtures.ts) with the homelab's settings. */
  identities: { declaration: (): Declaration => ({ catalog: identityFixtureCatalog(), settings: HOMELAB_SETTINGS }), applications: false, workloads: false },
} as const;

export type OutputName = keyof typeof OUTPUT_DECLARATIONS;

/** One declaration's synthesized output. */
export interface SynthesizedOutput {
  readonly manifestsDir: string;
  readonly terraformDir: string;
  /** `workloads/wired-workloads.yaml`, for a declaration with workloads. */
  readonly workloadsFile?: string;
  /** Whether it is the mutation suite's copy rather than a fresh synth. */
  readonly mutated: boolean;
}

/** The wired workloads' file in an output folder. */
const workloadsFileIn = (dir: string): string => join(dir, 'workloads', 'wired-workloads.yaml');

/** Writes the manifests and the Terraform of declaration `name` under `dir` (`manifests/`, `cdktf.out/`, and `workloads/`). */
export function writeOutput(name: OutputName, dir: string): SynthesizedOutput {
  const { declaration, applications, workloads } = OUTPUT_DECLARATIONS[name];
  const manifestsDir = join(dir, 'manifests');
  const terraformDir = join(dir, 'cdktf.out');
  const declared = declaration();
  synthOutputs(declared, [applications ? homelabManifestsPart(manifestsDir) : manifestsPart(manifestsDir), terraformPart(terraformDir)]);
  if (!workloads) return { manifestsDir, terraformDir, mutated: false };
  const workloadsFile = workloadsFileIn(dir);
  mkdirSync(join(dir, 'workloads'), { recursive: true });
  writeFileSync(workloadsFile, wiredWorkloads(declared.catalog).map((o) => YAML.stringify(o)).join('---\n'));
  return { manifestsDir, terraformDir, workloadsFile, mutated: false };
}

/**
 * The output of declaration `name`: under `root` (an output folder of the mutation suite, which must
 * hold the declaration's folder), else a fresh synth into `outdir`.
 */
export function synthesizedOutput(name: OutputName, outdir: string, root?: string): SynthesizedOutput {
  if (root === undefined) return writeOutput(name, outdir);
  const dir = join(root, name);
  if (!existsSync(join(dir, 'manifests')) || !existsSync(join(dir, 'cdktf.out'))) {
    throw new Error(`${MUTATED_OUTPUT_ENV}: ${root} holds no ${name}/manifests and ${name}/cdktf.out`);
  }
  const workloadsFile = OUTPUT_DECLARATIONS[name].workloads ? workloadsFileIn(dir) : undefined;
  return { manifestsDir: join(dir, 'manifests'), terraformDir: join(dir, 'cdktf.out'), ...(workloadsFile ? { workloadsFile } : {}), mutated: true };
}

/** Declaration `name`'s output under `root` (an output folder of the mutation suite), or undefined when the suites test the real one. */
export function mutatedOutput(name: OutputName, root: string | undefined): SynthesizedOutput | undefined {
  return root === undefined ? undefined : synthesizedOutput(name, '', root);
}

/** The vault stack's folder and parsed JSON in a Terraform output folder. */
export function vaultStackOf(terraformDir: string): { dir: string; json: any } {
  const dir = join(terraformDir, 'stacks', TERRAFORM_STACKS.vault);
  return { dir, json: JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) };
}

/** Every object of every YAML file in a manifests folder, files in name order. */
export function manifestObjects(manifestsDir: string): any[] {
  return readdirSync(manifestsDir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => YAML.parseAllDocuments(readFileSync(join(manifestsDir, f), 'utf8')).map((d) => d.toJSON()));
}
