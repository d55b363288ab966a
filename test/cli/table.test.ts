import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../lib/cli';
import { docsPart, renderPathFlowchart, renderPathTable, renderSecretsDoc } from '../../lib/docs';
import { synthOutputs } from '../../lib/synth';
import { fixtureDeclaration } from '../support/fixtures';
import { harness, smallCatalog } from './support/cli-harness';

const SMALL_DOC = [
  '<!-- Generated from the secret catalog by homelab-secrets; do not edit. `homelab-secrets table` prints the same. -->',
  '# Secrets under `homelab/`',
  '',
  "Every path of the KV v2 mount `homelab/` (relative to the mount, as ESO's `remoteRef.key` takes it),",
  'its keys, and the Kubernetes Secrets the External Secrets Operator writes from it. Names only: the values live in Vault.',
  '',
  "Cluster isolation: every Secret is read through the ClusterSecretStore `vault-backend`, logged in as ESO's service account `external-secrets/external-secrets` with the Vault role `external-secrets`, whose policy reads every path ESO reads.",
  '',
  '| Vault path | Keys | Secret | Namespace | Creation policy |',
  '|---|---|---|---|---|',
  '| `apps/vpn` | `USER`, `PASSWORD` | `vpn-credentials` | `arr` | Owner |',
  '| `apps/chat` | `GATEWAY_TOKEN`, `HOOKS_TOKEN`, `API_KEY` | `chat-secrets` | `chat` | Owner |',
  '| `apps/chat` | `HOOKS_TOKEN` → `token` | `hooks-token` | `monitoring` | Owner |',
  '',
  '```mermaid',
  'flowchart LR',
  '  p0["homelab/apps/vpn"]',
  '  p1["homelab/apps/chat"]',
  '  n0(["namespace arr"])',
  '  n1(["namespace chat"])',
  '  n2(["namespace monitoring"])',
  '  s0["Secret vpn-credentials"]',
  '  p0 --> s0',
  '  s0 --> n0',
  '  s1["Secret chat-secrets"]',
  '  p1 --> s1',
  '  s1 --> n1',
  '  s2["Secret hooks-token"]',
  '  p1 --> s2',
  '  s2 --> n2',
  '```',
  '',
].join('\n');

describe('table', () => {
  test('prints the path table and the flowchart as one Markdown document', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('table');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(SMALL_DOC);
  });

  test('it is the docs renderers\' table and flowchart, not a copy of them', () => {
    // GIVEN
    const catalog = smallCatalog();

    // WHEN
    const doc = renderSecretsDoc(catalog);

    // THEN
    expect(doc).toContain(`\n${renderPathTable(catalog)}\n`);
    expect(doc).toContain(`\n\`\`\`mermaid\n${renderPathFlowchart(catalog)}\`\`\`\n`);
    expect(doc).toContain('| `apps/chat` | `HOOKS_TOKEN` → `token` | `hooks-token` | `monitoring` | Owner |');
  });
});

describe('docsPart', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'homelab-secrets-docs-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('the synth writes exactly what `table` prints, and nothing else', async () => {
    // GIVEN
    const h = harness({ catalog: smallCatalog() });
    await h.cli('table');

    // WHEN
    synthOutputs(fixtureDeclaration(smallCatalog()), [docsPart(join(root, 'docs', 'secrets.md'))]);

    // THEN
    expect(readFileSync(join(root, 'docs', 'secrets.md'), 'utf8')).toBe(h.stdout());
    expect(readdirSync(join(root, 'docs')).sort()).toStrictEqual(['.secrets.md.homelab-secrets-synth', 'secrets.md']);
  });

  test('is a file part named docs', () => {
    // GIVEN / WHEN
    const part = docsPart('docs/secrets.md');

    // THEN
    expect({ name: part.name, target: part.target, kind: part.kind }).toStrictEqual({ name: 'docs', target: 'docs/secrets.md', kind: 'file' });
  });
});
