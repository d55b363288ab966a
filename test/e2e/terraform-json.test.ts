import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { homelabDeclaration } from '../../apps/homelab';
import { synthOutputs } from '../../lib/synth';
import { terraformPart } from '../../lib/tf';
import { HOSTILE_TEXT, type HostileField, addHostileStacks, hostileDeclaration, valueAt } from '../support/hostile-terraform';
import { type HclReading, hclEvalTool, readAsTerraform } from './support/hcl-eval';

// Every string of the synthesized Terraform JSON read back with the HCL library Terraform and OpenTofu
// use (github.com/hashicorp/hcl/v2: hcl/json parses the file, hclsyntax evaluates templates), through
// test/e2e/support/hcl-eval: the hostile stacks of test/support/hostile-terraform.ts and the homelab's.
const tool = hclEvalTool();
if (tool.path === null) process.stderr.write(`hcl-eval cannot be built, so the Terraform JSON reading suite is skipped: ${tool.reason}\n`);
const suite = tool.path ? describe : describe.skip;

/** One string of a stack's JSON: a value or an object key, and where. */
interface Leaf {
  readonly stack: string;
  readonly path: readonly (string | number)[];
  readonly kind: 'value' | 'key';
  readonly text: string;
}

/** Terraform reads these as written (a nil evaluation context): the terraform block, output descriptions. */
function readAsWritten(path: readonly (string | number)[]): boolean {
  return path[0] === 'terraform' || (path[0] === 'output' && path[2] === 'description');
}

/** Every string value and key of `json`, except under `//` (comments, which Terraform skips). */
function leaves(stack: string, json: unknown, path: (string | number)[] = []): Leaf[] {
  if (typeof json === 'string') return [{ stack, path, kind: 'value', text: json }];
  if (Array.isArray(json)) return json.flatMap((item, i) => leaves(stack, item, [...path, i]));
  if (json !== null && typeof json === 'object') {
    return Object.entries(json).filter(([key]) => key !== '//')
      .flatMap(([key, item]) => [{ stack, path: [...path, key], kind: 'key' as const, text: key }, ...leaves(stack, item, [...path, key])]);
  }
  return [];
}

/** The `type.name` addresses (and `data.type.name`, `var.x`, `local.x`) a stack defines, which its references may name. */
function addresses(json: any): Set<string> {
  const found = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) for (const name of Object.keys(byName as object)) found.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(json.data ?? {})) for (const name of Object.keys(byName as object)) found.add(`data.${type}.${name}`);
  return found;
}

/** The address a reference names: `aws_iam_user.user` of `aws_iam_user.user.arn`. */
function addressOf(reference: string): string {
  const parts = reference.split('.');
  return parts.slice(0, parts[0] === 'data' ? 3 : 2).join('.');
}

suite('Terraform reads every string of the synthesized JSON as the constructs meant it (hashicorp/hcl)', () => {
  let work: string;
  let stacks: Record<string, any>;
  let fields: HostileField[];
  let readings: Map<string, HclReading>;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'homelab-secrets-hcl-'));
    const app = new App({ outdir: join(work, 'hostile'), stackTraces: false });
    const hostile = hostileDeclaration();
    fields = [...addHostileStacks(app), ...hostile.fields.map((field) => ({ ...field, stack: `declaration/${field.stack}` }))];
    app.synth();
    synthOutputs(homelabDeclaration(), [terraformPart(join(work, 'homelab'))]);
    synthOutputs(hostile.declaration, [terraformPart(join(work, 'declaration'))]);
    stacks = {};
    for (const [prefix, root] of [['', 'hostile'], ['homelab/', 'homelab'], ['declaration/', 'declaration']] as const) {
      for (const stack of readdirSync(join(work, root, 'stacks'))) {
        stacks[`${prefix}${stack}`] = JSON.parse(readFileSync(join(work, root, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      }
    }
    const texts = [...new Set(Object.entries(stacks).flatMap(([name, json]) => leaves(name, json).map((leaf) => leaf.text)))];
    const read = readAsTerraform(tool.path!, texts);
    readings = new Map(texts.map((text, i) => [text, read[i]]));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('synthesizes the stacks it reads: the hostile ones, a hostile declaration\'s and the homelab\'s', () => {
    expect(Object.keys(stacks).sort()).toStrictEqual(['declaration/kms-unseal', 'declaration/vault', 'homelab/kms-unseal', 'homelab/vault', 'hostile', 'hostile-s3', 'vault']);
  });

  test('every hostile field reads back as the construct set it; where Terraform reads as written, both readings agree', () => {
    const read = fields.map((field) => {
      const reading = readings.get(valueAt(stacks[field.stack], field.path) as string)!;
      return { field: `${field.stack}:${field.path.join('.')}`, value: reading.template, ...(readAsWritten(field.path) ? { asWritten: reading.literal } : {}) };
    });
    expect(read).toStrictEqual(fields.map((field) => ({
      field: `${field.stack}:${field.path.join('.')}`,
      value: field.intended,
      ...(readAsWritten(field.path) ? { asWritten: field.intended } : {}),
    })));
  });

  test('every string and key of every stack evaluates, and refers only to the stack\'s own resources and data sources', () => {
    const problems: string[] = [];
    for (const [name, json] of Object.entries(stacks)) {
      const known = addresses(json);
      for (const leaf of leaves(name, json)) {
        const reading = readings.get(leaf.text)!;
        const where = `${name}:${leaf.path.join('.')}${leaf.kind === 'key' ? ' (key)' : ''}`;
        if (reading.templateError !== null) problems.push(`${where}: ${reading.templateError}`);
        for (const reference of reading.references) if (!known.has(addressOf(reference))) problems.push(`${where}: refers to ${reference}`);
        // A key, and a string read as written, must mean the same as a template: no sequence at all.
        if ((leaf.kind === 'key' || readAsWritten(leaf.path)) && reading.template !== leaf.text) problems.push(`${where}: reads as ${JSON.stringify(reading.template)}`);
      }
    }
    expect(problems).toStrictEqual([]);
  });

  test('the same text unescaped would be read otherwise: what the boundary prevents', () => {
    const [raw, dollar] = readAsTerraform(tool.path!, [HOSTILE_TEXT, 'cost$${aws_iam_user.user.arn}']);
    // A reference to a variable, a directive, both escapes taken as escapes.
    expect([raw.template, raw.references, raw.literal]).toStrictEqual(['a«var.x»b c "q" \\ \\n \n ${y} %{z} $ % {} \uE000i \uE000 end$', ['var.x'], HOSTILE_TEXT]);
    expect([dollar.template, dollar.references]).toStrictEqual(['cost${aws_iam_user.user.arn}', []]);
  });
});
