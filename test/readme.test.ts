import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { homelabCatalog, homelabDeclaration } from '../apps/homelab';
import { HOMELAB_OUTPUTS } from '../apps/outputs';
import { renderComponentTable } from '../lib/argocd';
import { resolveDeclaration } from '../lib/catalog';
import { renderExitCodeTable } from '../lib/cli/exit-codes';
import { renderPathTable, renderSecretsDoc } from '../lib/docs';

const ROOT = join(__dirname, '..');
const README_PATH = join(ROOT, 'README.md');
const README = readFileSync(README_PATH, 'utf8');
const DOCS = join(ROOT, 'docs');
const DOC_PAGES = readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort().map((f) => join(DOCS, f));

/** The README is for newcomers; everything else lives in docs/*.md. */
const README_MAX_BYTES = 10_240;


function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/** The text between the line holding `start` and the line starting with `end`. */
function between(text: string, start: string, end: string): string {
  expect(text).toContain(start);
  expect(text).toContain(end);
  const from = text.indexOf('\n', text.indexOf(start)) + 1;
  return text.slice(from, text.indexOf(end));
}

/** The lines of `markdown` outside fenced code blocks. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    return !fenced && !line.startsWith('```');
  });
}

/** GitHub's anchors of the headings of `markdown`: lowercase, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  return proseLines(markdown).filter((l) => /^#{1,6} /.test(l)).map((line) => {
    const slug = line.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    return count === 0 ? slug : `${slug}-${count}`;
  });
}

/** Every inline link target of `markdown` outside code, that is neither a URL nor mail. */
function relativeLinks(markdown: string): string[] {
  const prose = proseLines(markdown).join('\n').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** `file`'s relative links whose file or heading does not exist, as `target` strings. */
function brokenLinks(file: string): string[] {
  const markdown = read(file);
  return relativeLinks(markdown).filter((target) => {
    const [path, anchor] = target.split('#', 2);
    const linked = path === '' ? file : join(dirname(file), path);
    if (!existsSync(linked)) return true;
    return anchor !== undefined && linked.endsWith('.md') && !anchors(read(linked)).includes(anchor);
  });
}

describe('README', () => {
  test(`is at most ${README_MAX_BYTES} bytes`, () => {
    expect(Buffer.byteLength(README, 'utf8')).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  test('its path table is the catalog\'s', () => {
    expect(between(README, '<!-- path-table:start', '<!-- path-table:end')).toBe(renderPathTable(homelabCatalog()));
  });

  test('states the set-up commands that CI runs', () => {
    const ci = read(join(ROOT, '.ci', 'run'));
    expect(README).toContain('npm ci && npm run synth');
    expect(README).toContain('npm test ');
    // Each at the start of a line, under CI's step timer or not; npm ci in the function that otherwise
    // copies what npm ci installed on an earlier run for the same lockfile.
    expect(ci).toMatch(/^ {4}npm ci\b/m);
    expect(ci).toMatch(/^step "node_modules" install_node_modules$/m);
    expect(ci).toMatch(/^(step "[^"\n]+" )?npm run synth$/m);
    expect(ci).toMatch(/^(step "[^"\n]+" )?npm test$/m);
  });

  test('links every docs page', () => {
    const linked = relativeLinks(README).map((target) => target.split('#')[0]);
    const pages = DOC_PAGES.map((page) => relative(ROOT, page));
    expect(pages.filter((page) => !linked.includes(page))).toStrictEqual([]);
  });
});

describe('docs', () => {
  test('docs/components.md\'s component table is the synth\'s', () => {
    const components = read(join(DOCS, 'components.md'));
    expect(between(components, '<!-- component-table:start', '<!-- component-table:end')).toBe(renderComponentTable(resolveDeclaration(homelabDeclaration())));
  });

  test('docs/operations.md\'s exit-code table is the CLI\'s', () => {
    const operations = read(join(DOCS, 'operations.md'));
    expect(between(operations, '<!-- exit-codes:start', '<!-- exit-codes:end')).toBe(renderExitCodeTable());
  });

  test('the committed docs/secrets.md is what the synth writes', () => {
    expect(read(join(ROOT, HOMELAB_OUTPUTS.docs))).toBe(renderSecretsDoc(homelabCatalog()));
  });

  test.each([README_PATH, ...DOC_PAGES].map((file) => relative(ROOT, file)))('every relative link of %s points to an existing file and heading', (file) => {
    expect(brokenLinks(join(ROOT, file))).toStrictEqual([]);
  });

  test('the link check finds a missing file and a missing heading', () => {
    // The check itself, on links it must refuse and accept: the pages above may hold none that fail.
    expect(anchors('# Terraform: Vault (cdktf)\n```sh\n# not a heading\n```\n## The `vault-aws-kms` Secret\n## State\n## State'))
      .toStrictEqual(['terraform-vault-cdktf', 'the-vault-aws-kms-secret', 'state', 'state-1']);
    expect(relativeLinks('[a](docs/x.md#y) [b](https://example.org) `[c](not-a-link.md)`\n```\n[d](in-code.md)\n```\n[e](#here)'))
      .toStrictEqual(['docs/x.md#y', '#here']);
    const dir = mkdtempSync(join(tmpdir(), 'readme-links-'));
    try {
      writeFileSync(join(dir, 'a.md'), '# Self\n[x](missing.md) [y](b.md#nope) [z](b.md#real) [w](#self) [v](#gone)\n');
      writeFileSync(join(dir, 'b.md'), '# Real\n');
      expect(brokenLinks(join(dir, 'a.md'))).toStrictEqual(['missing.md', 'b.md#nope', '#gone']);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
