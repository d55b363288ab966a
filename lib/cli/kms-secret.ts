import type { Command } from 'commander';
import { AWS_REGION_PATTERN, IAM_USER_NAME_PATTERN, KMS_SECRET_KEYS, showValue } from '../catalog';
import { causeOf, errnoOf } from '../synth';
import { KMS_STACK_OUTPUTS as STACK_OUTPUTS } from '../tf/stack-names';
import { CliContext, CliError, EXIT, ReportExit, cliSettings, kmsStackDir } from './context';
import { readFileUpTo } from './read-file';
import { printable, shellCommand } from './shell';
import { decodeUtf8, describeUtf8Fault, stdinText, utf8Fault } from './utf8';

/** The most bytes of Terraform outputs kms-secret reads: the KMS stack's are a few hundred. */
const MAX_OUTPUTS_BYTES = 1024 * 1024;

/** The KMS stack's Terraform outputs that `kms-secret` reads (the stack writes them under these names). */
export const KMS_STACK_OUTPUTS = {
  keyId: STACK_OUTPUTS.keyId,
  region: STACK_OUTPUTS.region,
  iamUserName: STACK_OUTPUTS.iamUserName,
} as const;

/** Where the printed commands create the KMS Secret. */
export interface KmsSecretTarget {
  readonly name: string;
  readonly namespace: string;
}

/**
 * The kubectl field manager of the server-side apply that writes the Secret. Server-side apply,
 * because a client-side `kubectl apply` would copy the whole manifest, secret key included, into the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation that `kubectl describe` shows.
 */
export const KMS_SECRET_FIELD_MANAGER = 'homelab-secrets';

/** Each value must match its format exactly (the printed commands quote it as well, shell.ts). */
const OUTPUT_FORMATS: Record<keyof typeof KMS_STACK_OUTPUTS, { readonly pattern: RegExp; readonly rule: string }> = {
  keyId: { pattern: /^[A-Za-z0-9:/_-]+$/, rule: 'a KMS key id, ARN or alias (A-Z, a-z, 0-9, ":", "/", "_", "-")' },
  region: { pattern: AWS_REGION_PATTERN, rule: 'an AWS region such as "eu-central-1"' },
  iamUserName: { pattern: IAM_USER_NAME_PATTERN, rule: 'an IAM user name (1-64 characters of letters, digits and +=,.@_-)' },
};

/** The unseal key's id, its region and the IAM user, as the KMS stack outputs them. */
export interface KmsStackOutputs {
  readonly keyId: string;
  readonly region: string;
  readonly iamUserName: string;
}

/** Reads `terraform output -json` (`{"key_id": {"value": "...", "type": "string", "sensitive": false}, ...}`). */
export function parseKmsStackOutputs(text: string, source: string): KmsStackOutputs {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    // V8 quotes the input's first characters ("... is not valid JSON"): the input may be anything piped by mistake, so not them.
    const why = (error as Error).message.replace(/, "[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '');
    throw new CliError(`the Terraform outputs from ${source} are not JSON (${why}): give the output of \`terraform output -json\``);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new CliError(`the Terraform outputs from ${source} must be a JSON object, as \`terraform output -json\` prints them`);
  }
  const outputs = doc as Record<string, unknown>;
  const names = Object.keys(KMS_STACK_OUTPUTS) as (keyof typeof KMS_STACK_OUTPUTS)[];
  const missing = names.map((n) => KMS_STACK_OUTPUTS[n]).filter((name) => !(name in outputs));
  if (missing.length > 0) {
    const found = Object.keys(outputs);
    const shown = found.length === 0 ? 'none' : `${found.slice(0, 20).map((name) => (/^[\w.-]+$/.test(name) ? name : showValue(name))).join(', ')}${found.length > 20 ? ` and ${found.length - 20} more` : ''}`;
    throw new CliError(`the Terraform outputs from ${source} lack ${missing.map((m) => JSON.stringify(m)).join(', ')} (found: ${shown}): give \`terraform output -json\` of the deployed KMS stack`);
  }
  const read = (name: keyof typeof KMS_STACK_OUTPUTS): string => {
    const output = KMS_STACK_OUTPUTS[name];
    const value = (outputs[output] as { value?: unknown } | null)?.value;
    const { pattern, rule } = OUTPUT_FORMATS[name];
    if (typeof value !== 'string' || !pattern.test(value)) {
      const shown = typeof value === 'string' ? showValue(value) : value === undefined ? 'no value' : value === null ? 'null' : `a ${typeof value}`;
      throw new CliError(`output "${output}" from ${source} must have a value that is ${rule}; got ${shown}`);
    }
    return value;
  };
  return { keyId: read('keyId'), region: read('region'), iamUserName: read('iamUserName') };
}

/**
 * The jq program that turns `aws iam create-access-key --output json` into the Secret manifest. Only
 * the key id and region (not secret, validated) are passed as arguments; the access key pair comes
 * from jq's stdin and leaves on its stdout, so it is in no argv and never on the terminal.
 */
export function kmsSecretFilter(secret: KmsSecretTarget): string {
  const { name, namespace } = secret;
  const keys = KMS_SECRET_KEYS;
  return [
    '(.AccessKey // error("no AccessKey in the aws output")) as $key',
    `| {apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: {name: ${JSON.stringify(name)}, namespace: ${JSON.stringify(namespace)}},`,
    `data: ({${keys.keyId}: $keyId, ${keys.region}: $region, ${keys.accessKeyId}: $key.AccessKeyId, ${keys.secretAccessKey}: $key.SecretAccessKey} | map_values(@base64))}`,
  ].join(' ');
}

/** The commands that create the KMS Secret; the access key pair travels on pipes only, never printed or passed in. */
export function renderKmsSecretCommands(outputs: KmsStackOutputs, secret: KmsSecretTarget): string {
  const { name, namespace } = secret;
  const comment = (line: string): string => `# ${printable(line)}`;
  return [
    `# ${printable(`${name} (namespace ${namespace})`)} holds Vault's KMS unseal credentials. Create it by hand, before Vault starts; never commit it.`,
    '# Needs aws, jq and kubectl. The new access key pair goes from aws through jq to kubectl on pipes: it is in no',
    '# command line, never shown on the terminal, and in no file or shell history.',
    '# 1. The namespace, if it does not exist yet:',
    shellCommand(['kubectl', 'create', 'namespace', namespace]),
    comment(`2. Create an access key for the IAM user ${outputs.iamUserName} and write it straight into the Secret (server-side apply keeps`),
    '#    it out of the last-applied annotation). Running this again replaces the Secret with a new key (rotation):',
    `${shellCommand(['aws', 'iam', 'create-access-key', '--user-name', outputs.iamUserName, '--output', 'json'])} \\`,
    `  | ${shellCommand(['jq', '--arg', 'keyId', outputs.keyId, '--arg', 'region', outputs.region, kmsSecretFilter(secret)])} \\`,
    `  | ${shellCommand(['kubectl', 'apply', '--server-side', `--field-manager=${KMS_SECRET_FIELD_MANAGER}`, '-f', '-'])}`,
    '# 3. Check: the Secret has its four keys (names only), and the user has the keys you expect. If step 2 failed after aws',
    '#    created a key, that key was never stored anywhere: delete it (aws iam delete-access-key --user-name ... --access-key-id ...).',
    `${shellCommand(['kubectl', '-n', namespace, 'get', 'secret', name, '-o'])} jsonpath='{.data}' | jq 'keys'`,
    shellCommand(['aws', 'iam', 'list-access-keys', '--user-name', outputs.iamUserName]),
    '',
  ].join('\n');
}

/** Options of `kms-secret`. */
export interface KmsSecretOptions {
  /** A file holding `terraform output -json`. @default stdin */
  readonly file?: string;
}

export async function kmsSecret(ctx: CliContext, options: KmsSecretOptions = {}): Promise<number> {
  let text: string;
  let source: string;
  if (options.file !== undefined) {
    source = `--file ${showValue(options.file)}`;
    let bytes: Buffer;
    try {
      bytes = readFileUpTo(options.file, MAX_OUTPUTS_BYTES);
      if (bytes.length > MAX_OUTPUTS_BYTES) throw new CliError(`${source} holds more than 1 MiB: \`terraform output -json\` of the KMS stack is a few hundred bytes; give that`);
    } catch (error) {
      if (error instanceof CliError) throw error;
      const code = errnoOf(error);
      throw new CliError(`cannot read ${source}: ${code === undefined ? (error as Error).message : causeOf(code)}`);
    }
    // Read as bytes: a lenient decoding would turn other bytes into U+FFFD and quote that back.
    const fault = utf8Fault(bytes);
    if (fault) throw new CliError(`${source} is not UTF-8 text (${describeUtf8Fault(fault)}): give the output of \`terraform output -json\``);
    text = decodeUtf8(bytes);
  } else {
    if (ctx.stdin.isTTY) {
      throw new CliError(`give the KMS stack's outputs with --file <file>, or on stdin: ${shellCommand(['terraform', `-chdir=${kmsStackDir(ctx)}`, 'output', '-json'])} | npx homelab-secrets kms-secret`);
    }
    source = 'stdin';
    // Up to the cap, not to the end: an endless stream must not exhaust the memory.
    const bytes = await ctx.stdin.readBytes(MAX_OUTPUTS_BYTES);
    if (bytes.length > MAX_OUTPUTS_BYTES) throw new CliError(`stdin holds more than 1 MiB: \`terraform output -json\` of the KMS stack is a few hundred bytes; give that`);
    text = stdinText(bytes);
  }
  const { kms } = cliSettings(ctx);
  if (kms === undefined) throw new CliError('the settings declare no KMS key (settings.kms), so there is no KMS Secret to create');
  ctx.stdout.write(renderKmsSecretCommands(parseKmsStackOutputs(text, source), { name: kms.secretName, namespace: kms.secretNamespace }));
  return EXIT.ok;
}

/** Registers `kms-secret`, only when the settings declare a KMS key: without one there is no Secret to make. */
export function registerKmsSecret(program: Command, ctx: CliContext, report: ReportExit): void {
  const { kms } = cliSettings(ctx);
  if (kms === undefined) return;
  const { secretName: name, secretNamespace: namespace } = kms;
  program
    .command('kms-secret')
    .summary(`print the commands that create the Secret ${name} for Vault's KMS auto-unseal`)
    .description(`print the commands that create the Secret ${name} in namespace ${namespace} (Vault's KMS auto-unseal credentials), from the KMS stack's Terraform outputs; writes no file`)
    .option('--file <file>', 'a file holding `terraform output -json` of the KMS stack (default: stdin)')
    .addHelpText('after', () => [
      '',
      `Fills in ${Object.values(KMS_STACK_OUTPUTS).join(', ')} from the outputs. The printed commands pipe the new access key pair`,
      'from aws through jq to kubectl, so it is never printed, passed as an argument, or kept in a file or shell history.',
      '',
      'Example:',
      `  $ ${shellCommand(['terraform', `-chdir=${kmsStackDir(ctx)}`, 'output', '-json'])} | npx homelab-secrets kms-secret`,
      '',
    ].join('\n'))
    .action(async (options: KmsSecretOptions) => {
      report(await kmsSecret(ctx, options));
    });
}
