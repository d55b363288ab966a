// The sweep's output checks (npm run sweep) find what they look for: an interpolation or directive
// Terraform would evaluate, an object the API server or ESO refuses, a table row a value broke.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestProblems, markdownTableProblems, templateProblems, terraformProblems } from './outputs';

describe('the sweep\'s output checks', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sweep-outputs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a template may interpolate references and the boundary\'s own "$", nothing else; escapes are text', () => {
    expect(templateProblems('arn ${aws_kms_key.key.arn} ${data.aws_iam_policy_document.x.json} ${"$"}${var.y} $${not} %%{not}')).toStrictEqual([]);
    expect(templateProblems('${file("/etc/passwd")} %{ if true }')).toStrictEqual([
      'an interpolation at 0: "${file(\\"/etc/passwd\\")}"',
      'a directive at 23: "%{ if true }"',
    ]);
  });

  test('Terraform JSON: a template sequence where Terraform reads the string as written, or evaluated beyond a reference', () => {
    mkdirSync(join(dir, 'stacks', 'vault'), { recursive: true });
    writeFileSync(join(dir, 'stacks', 'vault', 'cdk.tf.json'), JSON.stringify({
      terraform: { backend: { local: { path: 'state/${x}.tfstate' } } },
      resource: { vault_policy: { p: { policy: 'path "kv/${file("x")}"', name: 'ok ${vault_mount.m.path}' } } },
      output: { o: { description: 'fine $${x}', value: 'x' } },
    }));
    expect(terraformProblems(dir)).toStrictEqual([
      'stacks/vault/cdk.tf.json: terraform.backend.local.path: read as written, yet holds a template sequence: "state/${x}.tfstate"',
      'stacks/vault/cdk.tf.json: resource.vault_policy.p.policy: an interpolation at 9: "${file(\\"x\\")}"',
      'stacks/vault/cdk.tf.json: output.o.description: read as written, yet holds a template sequence: "fine $${x}"',
    ]);
  });

  test('manifests: an object the CRD schema, ESO\'s webhook or the API server refuses', () => {
    writeFileSync(join(dir, 'es.yaml'), [
      'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: { name: Bad_Name, namespace: apps, labels: { "a b": x } }',
      'spec:', '  refreshInterval: 1d', '  secretStoreRef: { kind: ClusterSecretStore, name: vault }', '  target: { creationPolicy: Owner }', '',
    ].join('\n'));
    expect(manifestProblems(dir)).toStrictEqual([
      'es.yaml: ExternalSecret Bad_Name: neither data nor dataFrom',
      'es.yaml: ExternalSecret Bad_Name: refreshInterval "1d" is not a Go duration',
      'es.yaml: ExternalSecret Bad_Name: ExternalSecret apps/Bad_Name: name is not a DNS-1123 subdomain',
      'es.yaml: ExternalSecret Bad_Name: ExternalSecret apps/Bad_Name: label key "a b"',
    ]);
  });

  test('a Markdown table row of another number of cells than its header', () => {
    writeFileSync(join(dir, 'doc.md'), '| a | b |\n|---|---|\n| 1 | 2 |\n| 1 | 2 | 3 |\n| `x \\| y` | z |\n');
    expect(markdownTableProblems(join(dir, 'doc.md'))).toStrictEqual([`${join(dir, 'doc.md')}:4: a table row of 3 cells under a header of 2`]);
  });
});
