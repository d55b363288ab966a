// Names the Terraform output shares with the operator CLI, in a module that imports no cdktf: the CLI
// reads them from here, so loading it never costs cdktf's and the providers' start-up.

/** Stack names: the folders under `<output>/stacks/` and the argument of `cdktf deploy`. */
export const TERRAFORM_STACKS = {
  vault: 'vault',
  kmsUnseal: 'kms-unseal',
} as const;

/** cdktf's own default output folder, also `output` in cdktf.json. */
export const DEFAULT_TERRAFORM_OUTDIR = 'cdktf.out';

/** The KMS stack's Terraform outputs, which the operator CLI's `kms-secret` reads back. */
export const KMS_STACK_OUTPUTS = {
  keyId: 'key_id',
  keyArn: 'key_arn',
  alias: 'alias',
  region: 'region',
  iamUserName: 'iam_user_name',
} as const;

/** The folder of a stack's synthesized Terraform under the output folder, where `terraform` runs. */
export function stackDir(stack: string, outdir: string = DEFAULT_TERRAFORM_OUTDIR): string {
  return `${outdir}/stacks/${stack}`;
}
