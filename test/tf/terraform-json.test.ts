import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { SecretCatalog } from '../../lib/catalog';
import { synthOutputs } from '../../lib/synth';
import { ReadableStack, addStateBackend, terraformPart } from '../../lib/tf';
import { protectLiterals } from '../../lib/tf/terraform-json';
import { FIXTURE_SETTINGS } from '../support/fixtures';
import { HOSTILE_TEXT, addHostileStacks, hostileDeclaration, valueAt } from '../support/hostile-terraform';
import { synthPartToTree } from '../support/synth';
import { userErrorOf } from '../support/user-error';

/**
 * The escaping rule, as hashicorp/hcl specifies templates (hclsyntax/spec.md, "Template Expressions";
 * json/spec.md, "Expression Evaluation"): `$${` and `%%{` stand for `${` and `%{`; a `$` before a
 * reference is written `${"$"}`. test/e2e/terraform-json.test.ts checks the same output with the HCL
 * library itself.
 */
const ESCAPED = 'a$${var.x}b %%{ if true }c%%{ endif } "q" \\ \\n \n $$${y} %%%{z} $ % {} \uE000i \uE000 end$';

const RULE = 'must not contain "${" or "%{": Terraform reads this field as written and OpenTofu as a template, so no escape means the same to both';

describe('the Terraform JSON boundary (ReadableStack)', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'homelab-secrets-tf-json-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  test('writes every hostile field escaped where Terraform reads a template, as is where it reads the string as written', () => {
    // GIVEN the hostile stacks
    const app = new App({ outdir: out, stackTraces: false });
    const fields = addHostileStacks(app);

    // WHEN
    app.synth();

    // THEN
    const json = (stack: string): unknown => JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const written = Object.fromEntries(fields.map((f) => [`${f.stack}:${JSON.stringify(f.path)}`, valueAt(json(f.stack), f.path)]));
    const ca = `-----BEGIN CERTIFICATE-----\n${ESCAPED}\n-----END CERTIFICATE-----\n`;
    expect(written).toStrictEqual({
      'vault:["resource","vault_kubernetes_auth_backend_config","kubernetes_auth_config","kubernetes_ca_cert"]': ca,
      'vault:["resource","vault_mount","extra_mount","description"]': ESCAPED,
      'hostile:["provider","aws",0,"profile"]': ESCAPED,
      'hostile:["resource","aws_iam_user","user","tags","note"]': ESCAPED,
      'hostile:["resource","aws_kms_key","key","description"]': ESCAPED,
      'hostile:["resource","aws_kms_key","key","tags","\\"k\\" \\\\ \\n"]': ESCAPED,
      'hostile:["resource","aws_kms_key","key","tags","dollar"]': 'cost${"$"}${aws_iam_user.user.arn}',
      'hostile:["resource","aws_kms_key","key","tags","dollars"]': 'cost${"$"}${"$"}${"$"}${aws_iam_user.user.arn}',
      'hostile:["resource","aws_kms_key","key","tags","percent"]': 'p%${aws_iam_user.user.arn}%',
      'hostile:["resource","aws_kms_key","key","tags","mark"]': '\uE000${aws_iam_user.user.arn}\uE000s',
      'hostile:["locals","hostile_local","text"]': ESCAPED,
      'hostile:["locals","hostile_local","list",0]': ESCAPED,
      'hostile:["locals","hostile_local","list",1]': 'x${"$"}${aws_iam_user.user.name}',
      'hostile:["locals","hostile_local","map","\\"k\\" \\\\ \\n"]': ESCAPED,
      'hostile:["output","hostile_output","value"]': ESCAPED,
      'hostile:["output","hostile_output","description"]': 'as written: "q" \\ \n {} % $',
      'hostile:["resource","vault_policy","policy","policy"]': ESCAPED,
      'hostile:["terraform","backend","local","path"]': 'state/"q" \\ \n {} %.tfstate',
      'hostile-s3:["terraform","backend","s3","bucket"]': 'b "q" \\',
      'hostile-s3:["terraform","backend","s3","key"]': 'p "q" \\ \n {} % $/hostile-s3.tfstate',
      'hostile-s3:["terraform","backend","s3","dynamodb_table"]': 't "q" \\ {}',
      'hostile-s3:["resource","vault_policy","policy","policy"]': ESCAPED,
    });
    expect(fields.map((f) => f.intended).filter((i) => i === HOSTILE_TEXT)).toHaveLength(11);
  });

  test('a declaration the validator accepts: its Kubernetes CA escaped, its state path as written, in both stacks', () => {
    const { declaration, fields } = hostileDeclaration();
    const tree = synthPartToTree(declaration, terraformPart);
    expect(fields.map((f) => valueAt(JSON.parse(tree[`stacks/${f.stack}/cdk.tf.json`]), f.path))).toStrictEqual([
      `-----BEGIN CERTIFICATE-----\n${ESCAPED}\n-----END CERTIFICATE-----\n`,
      '../../../state/"q" \\ \n {} %.tfstate',
      '../../../state/"q" \\ \n {} %.tfstate',
    ]);
  });

  test('keeps cdktf\'s references: the vault stack still points its config and role at the backend and the policy', () => {
    const app = Testing.app({ stackTraces: false });
    addHostileStacks(app);
    const vault = JSON.parse(Testing.synth(app.node.findChild('vault') as TerraformStack));
    expect(vault.resource.vault_kubernetes_auth_backend_role.kubernetes_auth_role).toMatchObject({
      backend: '${vault_auth_backend.kubernetes_auth.path}',
      token_policies: ['${vault_policy.eso_read_policy.name}'],
    });
    expect(vault.resource.vault_mount.extra_mount.path).toBe('extra');
  });

  test('refuses, all at once with their JSON paths, "${" and "%{" where Terraform reads as written and in object keys', () => {
    // GIVEN a stack with an output description, a backend override and a tag key that hold template sequences
    class Stack extends ReadableStack {}
    const stack = new Stack(Testing.app(), 'lab', {});
    new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
    new IamUser(stack, 'User', { name: 'u', tags: { 'team-${var.x}': 'a', 'ok': 'b' } });
    new TerraformOutput(stack, 'Out', { value: 'x', description: 'the ${aws_iam_user.user.arn} key' });
    stack.addOverride('terraform.backend.local.path', 'state/%{ if true }x%{ endif }.tfstate');

    // WHEN / THEN
    expect(userErrorOf(() => Testing.synth(stack))).toStrictEqual([
      'Terraform stack "lab": terraform.backend.local.path "state/%{ if true }x%{ endif }.tfstate" ' + RULE,
      'Terraform stack "lab": resource.aws_iam_user.user.tags key "team-${var.x}" must not contain "${" or "%{": Terraform reads an object key as a name or as a template, never both',
      'Terraform stack "lab": output.out.description "the ${aws_iam_user.user.arn} key" ' + RULE,
    ]);
  });

  test('refuses a reference where Terraform reads as written: a backend cannot use one', () => {
    class Stack extends ReadableStack {}
    const stack = new Stack(Testing.app(), 'lab', {});
    const user = new IamUser(stack, 'User', { name: 'u' });
    new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
    stack.addOverride('terraform.backend.local.path', user.name);
    expect(userErrorOf(() => Testing.synth(stack))).toStrictEqual([
      `Terraform stack "lab": terraform.backend.local.path "\${aws_iam_user.user.name}" ${RULE}`,
    ]);
  });

  test('leaves a stack\'s output the same on every synth, and takes nothing apart that it does not write back', () => {
    const render = (): string => {
      const app = Testing.app({ stackTraces: false });
      addHostileStacks(app);
      return Testing.synth(app.node.findChild('hostile') as TerraformStack);
    };
    expect(render()).toBe(render());
    // The protection is a pure function of the config: tokens and non-plain objects pass untouched.
    const token = { resolve: () => 'x' };
    expect(protectLiterals({ a: ['${', token], b: 1, c: true, d: null })).toStrictEqual({ a: ['\uE000i', token], b: 1, c: true, d: null });
  });
});

describe('the state backend\'s strings', () => {
  test.each([
    [{ kind: 'local', path: 'state/${terraform.workspace}.tfstate' }, 'path', 'state/${terraform.workspace}.tfstate'],
    [{ kind: 's3', bucket: 'tf-${var.env}', region: 'eu-central-1' }, 'bucket', 'tf-${var.env}'],
    [{ kind: 's3', bucket: 'tfstate', region: 'eu-central-1', keyPrefix: 'lab/%{ if true }x%{ endif }' }, 'keyPrefix', 'lab/%{ if true }x%{ endif }'],
    [{ kind: 's3', bucket: 'tfstate', region: 'eu-central-1', dynamodbTable: 'locks-${x}' }, 'dynamodbTable', 'locks-${x}'],
  ])('are refused by the settings validator with "${" or "%{": %j', (stateBackend, field, value) => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/db', ['password']).syncTo({ name: 'db', namespace: 'apps' });
    const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-tf-json-'));
    try {
      expect(userErrorOf(() => synthOutputs({ catalog, settings: { ...FIXTURE_SETTINGS, terraform: { stateBackend: stateBackend as never } } }, [terraformPart(join(root, 'cdktf.out'))])))
        .toStrictEqual([`settings.terraform.stateBackend: ${field} ${JSON.stringify(value)} ${RULE}`]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('are refused by addStateBackend on any stack, with the same rule', () => {
    const stack = new TerraformStack(Testing.app(), 'vault');
    expect(userErrorOf(() => addStateBackend(stack, { kind: 's3', bucket: 'b', region: 'eu-central-1', keyPrefix: 'x${y}' }))).toStrictEqual([
      `the state backend: keyPrefix "x\${y}" ${RULE}`,
    ]);
  });
});
