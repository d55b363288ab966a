import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const LIB = join(ROOT, 'lib');

/** Every .ts file under `dir`, relative to lib/. */
function sources(dir: string = LIB): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') ? [relative(LIB, full)] : [];
  });
}

/** `file: specifier` for every import of a lib/ file. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(LIB, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)].map((m) => m[1]);
}

const RENDERERS = ['k8s', 'argocd', 'flux', 'tf', 'docs', 'cli', 'workloads', 'components'];

/** The lib/ file a relative specifier of `file` names (`x.ts` or `x/index.ts`), or undefined for a package. */
function resolveImport(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = join(dirname(file), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(join(LIB, candidate))) return relative('.', candidate);
  }
  return undefined;
}

/** Every import cycle among `files`, type-only imports included, each as `a → b → a`. */
function importCycles(files: readonly string[]): string[] {
  const edges = new Map(files.map((file) => [file, importsOf(file).map((spec) => resolveImport(file, spec)).filter((f): f is string => f !== undefined)]));
  const cycles = new Set<string>();
  const visit = (file: string, stack: string[]): void => {
    const at = stack.indexOf(file);
    if (at >= 0) {
      const cycle = stack.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]);
      cycles.add([...cycle.slice(start), ...cycle.slice(0, start), cycle[start]].join(' → '));
      return;
    }
    for (const next of edges.get(file) ?? []) if (edges.has(next)) visit(next, [...stack, file]);
  };
  for (const file of files) visit(file, []);
  return [...cycles].sort();
}

describe('the library\'s structure', () => {
  test('lib/synth, the all-or-nothing writer, imports no renderer: only the catalog and node', () => {
    const synth = sources().filter((f) => f.startsWith('synth/'));
    expect(synth.length).toBeGreaterThan(0);
    const imports = synth.flatMap((file) => importsOf(file).map((spec) => `${file}: ${spec}`));
    expect(imports.filter((line) => !/: (\.\/[a-z-]+|\.\.\/catalog|node:[a-z_]+)$/.test(line))).toStrictEqual([]);
  });

  test('lib/catalog has no import cycle, type-only imports included: each module depends one way', () => {
    expect(importCycles(sources().filter((f) => f.startsWith('catalog/')))).toStrictEqual([]);
    // The detector finds a cycle where there is one.
    expect(resolveImport('catalog/vault-path.ts', './sources')).toBe('catalog/sources.ts');
    expect(resolveImport('catalog/index.ts', './settings')).toBe('catalog/settings/index.ts');
  });

  test('renderers reach lib/synth only through its index, the writer\'s interface', () => {
    const deep = sources()
      .filter((f) => RENDERERS.includes(f.split('/')[0]))
      .flatMap((file) => importsOf(file).filter((spec) => /\/synth\//.test(spec)).map((spec) => `${file}: ${spec}`));
    expect(deep).toStrictEqual([]);
  });

  test('lib/components, the values every GitOps renderer installs, is plain TypeScript over the catalog', () => {
    const imports = sources().filter((f) => f.startsWith('components/')).flatMap((file) => importsOf(file).map((spec) => `${file}: ${spec}`));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => !/: (\.\/[a-z-]+|\.\.\/catalog)$/.test(line))).toStrictEqual([]);
  });

  test('the CLI reads the stack and login names from modules that load no cdktf', () => {
    expect(importsOf('tf/stack-names.ts')).toStrictEqual([]);
    const cliTf = sources().filter((f) => f.startsWith('cli/')).flatMap((file) => importsOf(file).filter((s) => s.includes('/tf')));
    expect([...new Set(cliTf)].sort()).toStrictEqual(['../tf/operator-login-names', '../tf/stack-names']);
    // its commands quote through the CLI's one quoting module, which imports nothing either
    expect(importsOf('tf/operator-login-names.ts')).toStrictEqual(['../cli/shell']);
    expect(importsOf('cli/shell.ts')).toStrictEqual([]);
  });

  test('lib/ names no value of one homelab', () => {
    const leaks = sources().flatMap((file) => {
      const text = readFileSync(join(LIB, file), 'utf8');
      return ["'homelab'", 'homelab/', 'vault.vault.svc', 'nfs-client', '10Gi', 'HomelabStack', 'this repository', 'homelab.local', 'apps/homelab']
        .filter((needle) => text.includes(needle))
        .map((needle) => `${file}: ${needle}`);
    });
    expect(leaks).toStrictEqual([]);
  });

  test('every Props interface has its header doc, and every optional prop documents its default', () => {
    const problems: string[] = [];
    for (const file of sources()) {
      const text = readFileSync(join(LIB, file), 'utf8');
      for (const match of text.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?export interface (\w+Props)\b[^{]*\{([\s\S]*?)\n\}/g)) {
        const [, header, name, body] = match;
        const construct = name.slice(0, -'Props'.length);
        if (!header || !header.includes(`Properties for \`${construct}\``)) problems.push(`${file}: ${name} lacks "Properties for \`${construct}\`."`);
        for (const prop of body.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)?\s*readonly (\w+)\?:/g)) {
          if (!prop[1] || !prop[1].includes('@default')) problems.push(`${file}: ${name}.${prop[2]} has no @default`);
        }
      }
    }
    expect(problems).toStrictEqual([]);
  });

  test('a test run keeps its temp folders in one folder that it removes at the end', () => {
    expect(process.env.HOMELAB_SECRETS_JEST_TMP).toBeDefined();
    expect(tmpdir()).toBe(process.env.HOMELAB_SECRETS_JEST_TMP);
  });
});
