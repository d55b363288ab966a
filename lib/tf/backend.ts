import { LocalBackend, S3Backend, TerraformBackend, TerraformStack } from 'cdktf';
import { SETTINGS_DEFAULTS, type StateBackendSettings, assertRule, checkTerraformLiteral, invalidProp } from '../catalog';

/** The local default: a `state/` folder beside the output folder (`<output>/stacks/<stack>` is three levels down). */
export function defaultLocalStatePath(stackName: string): string {
  return `../../../state/${stackName}.tfstate`;
}

/**
 * Configures the state backend of `stack`; every stack gets its own state file or key. Terraform reads
 * the backend block as written (OpenTofu as a template), so its strings may not hold `${` or `%{`.
 */
export function addStateBackend(stack: TerraformStack, config: StateBackendSettings = { kind: 'local' }): TerraformBackend {
  const stackName = stack.node.id;
  for (const field of ['path', 'bucket', 'region', 'keyPrefix', 'dynamodbTable'] as const) {
    const value = (config as Partial<Record<typeof field, unknown>>)[field];
    if (value !== undefined) assertRule(checkTerraformLiteral, field, value, 'the state backend');
  }
  if (config.kind === 'local') {
    // cdktf's own default is an absolute path under process.cwd(): machine-specific and inside the repo.
    return new LocalBackend(stack, { path: config.path ?? defaultLocalStatePath(stackName) });
  }
  if (config.kind !== 's3') invalidProp('the state backend', 'kind', (config as { kind: unknown }).kind, 'must be "local" or "s3"');
  const backend = new S3Backend(stack, {
    bucket: config.bucket,
    region: config.region,
    key: `${config.keyPrefix ?? SETTINGS_DEFAULTS.s3KeyPrefix}/${stackName}.tfstate`,
    encrypt: true,
    dynamodbTable: config.dynamodbTable,
  });
  // cdktf 0.21 predates the S3 backend's `use_lockfile`, so it is written as a raw override.
  if (config.useLockfile ?? true) backend.addOverride('use_lockfile', true);
  return backend;
}
