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

const EXPECTED = [
  "# vault-aws-kms (namespace vault) holds Vault's KMS unseal credentials. Create it by hand, before Vault starts; never commit it.",
  '# 1. Create an access key for the IAM user vault-unseal; note AccessKeyId and SecretAccessKey (shown once):',
  'aws iam create-access-key --user-name vault-unseal',
  '# 2. Enter them at the prompts (bash or zsh); the secret is not echoed, and neither lands in shell history:',
  "printf 'AccessKeyId: '; read -r UNSEAL_ACCESS_KEY_ID",
  "printf 'SecretAccessKey: '; read -rs UNSEAL_SECRET_ACCESS_KEY; echo",
  '# 3. Create the Secret (and first its namespace, if it does not exist yet):',
  'kubectl create namespace vault',
  'kubectl create secret generic vault-aws-kms -n vault \\',
  '  --from-literal=VAULT_AWSKMS_SEAL_KEY_ID=1234abcd-12ab-34cd-56ef-1234567890ab \\',
  '  --from-literal=AWS_REGION=eu-central-1 \\',
  '  --from-literal=AWS_ACCESS_KEY_ID="$UNSEAL_ACCESS_KEY_ID" \\',
  '  --from-literal=AWS_SECRET_ACCESS_KEY="$UNSEAL_SECRET_ACCESS_KEY"',
  'unset UNSEAL_ACCESS_KEY_ID UNSEAL_SECRET_ACCESS_KEY',
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
    expect(h.stderr()).toBe(`homelab-secrets: cannot read --file "${file}": ENOENT: no such file or directory, open '${file}'\n`);
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
