// A declaration of the Terraform stacks whose every free-text field holds text Terraform would read
// as syntax: `${...}` and `%{...}` (a reference, a directive), their escapes, quotes, backslashes,
// newlines, a `$` right before a reference, and the boundary's own placeholder character. What each
// field must read back as is listed beside it; test/tf/terraform-json.test.ts checks the JSON against
// the escaping rule, test/e2e/terraform-json.test.ts evaluates it with Terraform's HCL library.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { App, TerraformLocal, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { KvV2Mount, ReadableStack, VaultStack } from '../../lib/tf';
import { vaultStackProps } from '../tf/support';
import { type Declaration, SecretCatalog } from '../../lib/catalog';
import { FIXTURE_SETTINGS, fixtureCatalog } from './fixtures';

/** Everything at once: a reference, a directive, both escapes, quotes, a backslash, a newline, lone `$` and `%`, the placeholder U+E000. */
export const HOSTILE_TEXT = 'a${var.x}b %{ if true }c%{ endif } "q" \\ \\n \n $${y} %%{z} $ % {} \uE000i \uE000 end$';

/** What the stacks' hostile fields must read back as, by stack and JSON path; `«ref»` stands for a reference's value. */
export interface HostileField {
  readonly stack: string;
  readonly path: readonly (string | number)[];
  readonly intended: string;
}

/** A stack of its own kind: a local, an output, a policy, a KMS key with tags and an IAM user, an AWS provider. */
class HostileStack extends ReadableStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { backend: { kind: 'local', path: 'state/"q" \\ \n {} %.tfstate' } });
    new AwsProvider(this, 'aws', { region: 'eu-central-1', profile: HOSTILE_TEXT });
    new VaultProvider(this, 'vault', {});
    const user = new IamUser(this, 'User', { name: 'hostile', tags: { note: HOSTILE_TEXT } });
    new KmsKey(this, 'Key', {
      description: HOSTILE_TEXT,
      tags: {
        '"k" \\ \n': HOSTILE_TEXT,
        'dollar': `cost$${user.arn}`,
        'dollars': `cost$$$${user.arn}`,
        'percent': `p%${user.arn}%`,
        'mark': `\uE000${user.arn}\uE000s`,
      },
    });
    new TerraformLocal(this, 'HostileLocal', { text: HOSTILE_TEXT, list: [HOSTILE_TEXT, `x$${user.name}`], map: { '"k" \\ \n': HOSTILE_TEXT } });
    new TerraformOutput(this, 'HostileOutput', { value: HOSTILE_TEXT, description: 'as written: "q" \\ \n {} % $' });
    new Policy(this, 'Policy', { name: 'hostile', policy: HOSTILE_TEXT });
  }
}

/** A stack whose S3 backend's strings hold quotes, backslashes, a newline and braces (read as written). */
class HostileS3Stack extends ReadableStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { backend: { kind: 's3', bucket: 'b "q" \\', region: 'eu-central-1', keyPrefix: 'p "q" \\ \n {} % $', dynamodbTable: 't "q" \\ {}' } });
    new VaultProvider(this, 'vault', {});
    new Policy(this, 'Policy', { name: 'hostile', policy: HOSTILE_TEXT });
  }
}

/**
 * Adds the hostile stacks to `app`: `vault` (the VaultStack, its Kubernetes CA and an extra mount's
 * description hostile), `hostile` (cdktf's own elements and AWS resources) and `hostile-s3` (an S3
 * backend). Returns each hostile
 * field with what it must read back as.
 */
export function addHostileStacks(app: App): HostileField[] {
  const catalog = new SecretCatalog({ mount: 'kv' });
  catalog.path('apps/db', ['password']).syncTo({ name: 'db', namespace: 'apps' });
  const props = vaultStackProps(catalog);
  const ca = HOSTILE_CA;
  const vault = new VaultStack(app, 'vault', { ...props, clusters: [{ ...props.clusters[0], kubernetesCaCert: ca }] });
  new KvV2Mount(vault, 'ExtraMount', { path: 'extra', description: HOSTILE_TEXT });
  new HostileStack(app, 'hostile');
  new HostileS3Stack(app, 'hostile-s3');
  const user = '«aws_iam_user.user.arn»';
  return [
    { stack: 'vault', path: ['resource', 'vault_kubernetes_auth_backend_config', 'kubernetes_auth_config', 'kubernetes_ca_cert'], intended: ca },
    { stack: 'vault', path: ['resource', 'vault_mount', 'extra_mount', 'description'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['provider', 'aws', 0, 'profile'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['resource', 'aws_iam_user', 'user', 'tags', 'note'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['resource', 'aws_kms_key', 'key', 'description'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['resource', 'aws_kms_key', 'key', 'tags', '"k" \\ \n'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['resource', 'aws_kms_key', 'key', 'tags', 'dollar'], intended: `cost$${user}` },
    { stack: 'hostile', path: ['resource', 'aws_kms_key', 'key', 'tags', 'dollars'], intended: `cost$$$${user}` },
    { stack: 'hostile', path: ['resource', 'aws_kms_key', 'key', 'tags', 'percent'], intended: `p%${user}%` },
    { stack: 'hostile', path: ['resource', 'aws_kms_key', 'key', 'tags', 'mark'], intended: `\uE000${user}\uE000s` },
    { stack: 'hostile', path: ['locals', 'hostile_local', 'text'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['locals', 'hostile_local', 'list', 0], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['locals', 'hostile_local', 'list', 1], intended: 'x$«aws_iam_user.user.name»' },
    { stack: 'hostile', path: ['locals', 'hostile_local', 'map', '"k" \\ \n'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['output', 'hostile_output', 'value'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['output', 'hostile_output', 'description'], intended: 'as written: "q" \\ \n {} % $' },
    { stack: 'hostile', path: ['resource', 'vault_policy', 'policy', 'policy'], intended: HOSTILE_TEXT },
    { stack: 'hostile', path: ['terraform', 'backend', 'local', 'path'], intended: 'state/"q" \\ \n {} %.tfstate' },
    { stack: 'hostile-s3', path: ['terraform', 'backend', 's3', 'bucket'], intended: 'b "q" \\' },
    { stack: 'hostile-s3', path: ['terraform', 'backend', 's3', 'key'], intended: 'p "q" \\ \n {} % $/hostile-s3.tfstate' },
    { stack: 'hostile-s3', path: ['terraform', 'backend', 's3', 'dynamodb_table'], intended: 't "q" \\ {}' },
    { stack: 'hostile-s3', path: ['resource', 'vault_policy', 'policy', 'policy'], intended: HOSTILE_TEXT },
  ];
}

/** The PEM the hostile declaration and stack give as the Kubernetes API's CA: the validator checks only its frame. */
export const HOSTILE_CA = `-----BEGIN CERTIFICATE-----\n${HOSTILE_TEXT}\n-----END CERTIFICATE-----\n`;

/**
 * A declaration that passes the validator with every free-text setting that reaches the Terraform
 * JSON hostile (the catalog's names have character sets that leave no room): the Kubernetes CA, and a
 * state path of quotes, a backslash, a newline and braces. Its fields are those of the stacks
 * `vault` and `kms-unseal` it synthesizes.
 */
export function hostileDeclaration(): { declaration: Declaration; fields: HostileField[] } {
  // Beside the output folder, as the default is (inside it, the synth refuses it).
  const path = '../../../state/"q" \\ \n {} %.tfstate';
  const declaration: Declaration = {
    catalog: fixtureCatalog(),
    settings: { ...FIXTURE_SETTINGS, vault: { ...FIXTURE_SETTINGS.vault, kubernetesCaCert: HOSTILE_CA }, terraform: { stateBackend: { kind: 'local', path } } },
  };
  return {
    declaration,
    fields: [
      { stack: 'vault', path: ['resource', 'vault_kubernetes_auth_backend_config', 'kubernetes_auth_config', 'kubernetes_ca_cert'], intended: HOSTILE_CA },
      { stack: 'vault', path: ['terraform', 'backend', 'local', 'path'], intended: path },
      { stack: 'kms-unseal', path: ['terraform', 'backend', 'local', 'path'], intended: path },
    ],
  };
}

/** The value at `path` of a parsed JSON document. */
export function valueAt(json: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<any>((value, key) => (value === undefined || value === null ? undefined : value[key]), json);
}
