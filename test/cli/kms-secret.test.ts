import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { EXIT, KMS_STACK_OUTPUTS } from '../../lib/cli';
import { KmsUnsealStack } from '../../lib/tf/kms-unseal-stack';
import { harness } from './support/cli-harness';

/** What `terraform output -json` prints for the deployed KMS stack. */
const OUTPUTS = {
  alias: { sensitive: false, type: 'string', value: 'alias/vault-unseal' },
  iam_user_name: { sensitive: false, type: 'string', value: 'vault-unseal' },
  key_arn: { sensitive: false, type: 'string', value: 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
  key_id: { sensitive: false, type: 'string', value: '1234abcd-12ab-34cd-56ef-1234567890ab' },
  region: { sensitive: false, type: 'string', value: 'eu-central-1' },
};

const FILTER = '(.AccessKey // error("no AccessKey in the aws output")) as $key'
  + ' | {apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: {name: "vault-aws-kms", namespace: "vault"},'
  + ' data: ({VAULT_AWSKMS_SEAL_KEY_ID: $keyId, AWS_REGION: $region, AWS_ACCESS_KEY_ID: $key.AccessKeyId, AWS_SECRET_ACCESS_KEY: $key.SecretAccessKey} | map_values(@base64))}';

const EXPECTED = [
  "# vault-aws-kms (namespace vault) holds Vault's KMS unseal credentials. Create it by hand, before Vault starts; never commit it.",
  '# Needs aws, jq and kubectl. The new access key pair goes from aws through jq to kubectl on pipes: it is in no',
  '# command line, never shown on the terminal, and in no file or shell history.',
  '# 1. The namespace, if it does not exist yet:',
  'kubectl create namespace vault',
  '# 2. Create an access key for the IAM user vault-unseal and write it straight into the Secret (server-side apply keeps',
  '#    it out of the last-applied annotation). Running this again replaces the Secret with a new key (rotation):',
  'aws iam create-access-key --user-name vault-unseal --output json \\',
  `  | jq --arg keyId 1234abcd-12ab-34cd-56ef-1234567890ab --arg region eu-central-1 '${FILTER}' \\`,
  '  | kubectl apply --server-side --field-manager=homelab-secrets -f -',
  '# 3. Check: the Secret has its four keys (names only), and the user has the keys you expect. If step 2 failed after aws',
  '#    created a key, that key was never stored anywhere: delete it (aws iam delete-access-key --user-name ... --access-key-id ...).',
  "kubectl -n vault get secret vault-aws-kms -o jsonpath='{.data}' | jq 'keys'",
  'aws iam list-access-keys --user-name vault-unseal',
  '',
].join('\n');

describe('kms-secret', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-kms-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('prints the access key and Secret commands from stdin, with the key id and region filled in', async () => {
    // GIVEN
    const h = harness({ stdin: JSON.stringify(OUTPUTS) });

    // WHEN
    const code = await h.cli('kms-secret');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(EXPECTED);
    expect(h.stderr()).toBe('');
  });

  test('reads --file the same way and writes no file', async () => {
    // GIVEN
    const file = join(dir, 'outputs.json');
    writeFileSync(file, JSON.stringify(OUTPUTS));
    const h = harness({ stdin: { tty: [] } });

    // WHEN
    const code = await h.cli('kms-secret', '--file', file);

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(EXPECTED);
    expect(h.runs).toStrictEqual([]);
  });

  test('at a terminal without --file it says how to give the outputs', async () => {
    // GIVEN
    const h = harness({ stdin: { tty: [] } });

    // WHEN
    const code = await h.cli('kms-secret');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe("homelab-secrets: give the KMS stack's outputs with --file <file>, or on stdin: terraform -chdir=cdktf.out/stacks/kms-unseal output -json | npx homelab-secrets kms-secret\n");
  });

  test('a missing file is refused by name', async () => {
    // GIVEN
    const h = harness();
    const file = join(dir, 'nope.json');

    // WHEN
    const code = await h.cli('kms-secret', '--file', file);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: cannot read --file "${file}": no such file or folder (ENOENT)\n`);
  });

  // Found by the sweep: Node's message quoted a file name raw, a file of Latin-1 was read as U+FFFD and
  // quoted back garbled, and JSON's error quoted the first characters of what was piped in, escapes included.
  test('a file name with a terminal escape is shown escaped', async () => {
    const h = harness();
    expect(await h.cli('kms-secret', '--file', join(dir, 'x\u001b[2J.json'))).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: cannot read --file "${join(dir, 'x\\u001b[2J.json')}": no such file or folder (ENOENT)\n`);
  });

  test('a file that is not UTF-8 is refused with the byte and its offset', async () => {
    const file = join(dir, 'latin1.json');
    writeFileSync(file, Buffer.from(JSON.stringify({ ...OUTPUTS, region: { value: 'eu-central-1\u00e9' } }), 'latin1'));
    const h = harness();
    expect(await h.cli('kms-secret', '--file', file)).toBe(EXIT.usage);
    expect(h.stderr()).toMatch(new RegExp(`^homelab-secrets: --file "${file}" is not UTF-8 text \\(byte 0xe9 at offset \\d+\\): give the output of \`terraform output -json\`\n$`));
  });

  test('input that is not JSON is refused without quoting it', async () => {
    const h = harness({ stdin: 'key_id = "\u001b[2Jsecret-ish"' });
    expect(await h.cli('kms-secret')).toBe(EXIT.usage);
    expect(h.stderr()).toBe("homelab-secrets: the Terraform outputs from stdin are not JSON (Unexpected token 'k'): give the output of `terraform output -json`\n");
  });

  test('a malformed value is quoted escaped, and the outputs found are named escaped', async () => {
    const h = harness({ stdin: JSON.stringify({ ...OUTPUTS, key_id: { value: '$(id)\u202e' } }) });
    expect(await h.cli('kms-secret')).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: output "key_id" from stdin must have a value that is a KMS key id, ARN or alias (A-Z, a-z, 0-9, ":", "/", "_", "-"); got "$(id)\\u202e"\n');
    const h2 = harness({ stdin: JSON.stringify({ 'a\nb': 1, ok_name: 2 }) });
    expect(await h2.cli('kms-secret')).toBe(EXIT.usage);
    expect(h2.stderr()).toBe('homelab-secrets: the Terraform outputs from stdin lack "key_id", "region", "iam_user_name" (found: "a\\nb", ok_name): give `terraform output -json` of the deployed KMS stack\n');
  });

  test('input that is not JSON is refused', async () => {
    // GIVEN
    const h = harness({ stdin: 'key_id = "x"' });

    // WHEN
    const code = await h.cli('kms-secret');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toMatch(/^homelab-secrets: the Terraform outputs from stdin are not JSON \(.+\): give the output of `terraform output -json`\n$/);
  });

  test('missing outputs are named, with those found', async () => {
    // GIVEN
    const h = harness({ stdin: JSON.stringify({ alias: OUTPUTS.alias, region: OUTPUTS.region }) });

    // WHEN
    const code = await h.cli('kms-secret');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: the Terraform outputs from stdin lack "key_id", "iam_user_name" (found: alias, region): give `terraform output -json` of the deployed KMS stack\n');
  });

  test.each([
    ['region', { ...OUTPUTS, region: { value: 'eu-central-1; rm -rf ~' } }, 'homelab-secrets: output "region" from stdin must have a value that is an AWS region such as "eu-central-1"; got "eu-central-1; rm -rf ~"\n'],
    ['key_id', { ...OUTPUTS, key_id: { value: null } }, 'homelab-secrets: output "key_id" from stdin must have a value that is a KMS key id, ARN or alias (A-Z, a-z, 0-9, ":", "/", "_", "-"); got null\n'],
    ['iam_user_name', { ...OUTPUTS, iam_user_name: 'vault-unseal' }, 'homelab-secrets: output "iam_user_name" from stdin must have a value that is an IAM user name (1-64 characters of letters, digits and +=,.@_-); got no value\n'],
  ])('a malformed %s is refused before it reaches a printed command', async (_name, outputs, message) => {
    // GIVEN
    const h = harness({ stdin: JSON.stringify(outputs) });

    // WHEN
    const code = await h.cli('kms-secret');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stdout()).toBe('');
    expect(h.stderr()).toBe(message);
  });

  test('the output names it reads are the ones the KMS stack declares', () => {
    // GIVEN
    const app = Testing.app();
    const stack = new KmsUnsealStack(app, 'kms-unseal', { region: 'eu-central-1' });

    // WHEN
    const outputs = Object.keys(JSON.parse(Testing.synth(stack)).output);

    // THEN
    expect(outputs).toEqual(expect.arrayContaining(Object.values(KMS_STACK_OUTPUTS)));
  });
});
