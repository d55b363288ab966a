import { LocalBackend, S3Backend, TerraformBackend, TerraformStack } from 'cdktf';
import { SettingsError } from '../platform/settings-error';

/**
 * State in a local file. Synth replaces the output folder as a whole, so the state file must live
 * outside it; the default `state/` folder beside the output folder is in .gitignore.
 */
export interface LocalStateBackend {
  readonly kind: 'local';
  /**
   * State file, relative to the stack's working directory `<output>/stacks/<stack>` (where
   * `cdktf deploy` runs Terraform) or absolute. Relative keeps the synthesized JSON machine-independent.
   * @default '../../../state/<stack>.tfstate'
   */
  readonly path?: string;
}

/** State in an S3 bucket, encrypted at rest. */
export interface S3StateBackend {
  readonly kind: 's3';
  /** Existing bucket that holds the state files. */
  readonly bucket: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Key prefix; each stack writes `<prefix>/<stack>.tfstate`. @default 'homelab-secrets' */
  readonly keyPrefix?: string;
  /** Lock with a `.tflock` object beside the state (needs Terraform or OpenTofu 1.10 or later). @default true */
  readonly useLockfile?: boolean;
  /** DynamoDB table for the older lock mechanism. @default none */
  readonly dynamodbTable?: string;
}

/** Where Terraform keeps a stack's state. */
export type StateBackendConfig = LocalStateBackend | S3StateBackend;

/** The local default: a `state/` folder beside the output folder (`<output>/stacks/<stack>` is three levels down). */
export function defaultLocalStatePath(stackName: string): string {
  return `../../../state/${stackName}.tfstate`;
}

/** Configures the state backend of `stack`; every stack gets its own state file or key. */
export function addStateBackend(stack: TerraformStack, config: StateBackendConfig = { kind: 'local' }): TerraformBackend {
  const stackName = stack.node.id;
  if (config.kind === 'local') {
    // cdktf's own default is an absolute path under process.cwd(): machine-specific and inside the repo.
    return new LocalBackend(stack, { path: config.path ?? defaultLocalStatePath(stackName) });
  }
  if (config.kind !== 's3') throw new SettingsError(`backend kind "${(config as { kind: unknown }).kind}" must be "local" or "s3"`);
  const backend = new S3Backend(stack, {
    bucket: config.bucket,
    region: config.region,
    key: `${config.keyPrefix ?? 'homelab-secrets'}/${stackName}.tfstate`,
    encrypt: true,
    dynamodbTable: config.dynamodbTable,
  });
  // cdktf 0.21 predates the S3 backend's `use_lockfile`, so it is written as a raw override.
  if (config.useLockfile ?? true) backend.addOverride('use_lockfile', true);
  return backend;
}
