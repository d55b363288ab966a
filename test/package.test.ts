import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * package.json's entry points agree with each other: `exports` (read by Node and by TypeScript's
 * node16/bundler resolution), `main`/`types`, and `typesVersions` (read by TypeScript's node10
 * resolution, the default of `cdktf init` and `cdk8s init` projects). The consumer test installs the
 * packed tarball and goes through them for real.
 */
const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const entries = Object.entries(pkg.exports as Record<string, string | Record<string, string>>)
  .filter((entry): entry is [string, Record<string, string>] => typeof entry[1] === 'object');

describe('package.json entry points', () => {
  test('each export names its types first, then its JavaScript, built from lib/<entry>/index.ts', () => {
    expect(entries.map(([subpath]) => subpath)).toStrictEqual(['.', './tf', './cli', './workloads']);
    for (const [subpath, conditions] of entries) {
      const dir = subpath === '.' ? '' : `${subpath.slice(2)}/`;
      expect(conditions).toStrictEqual({ types: `./dist/lib/${dir}index.d.ts`, default: `./dist/lib/${dir}index.js` });
      expect(Object.keys(conditions)[0]).toBe('types');
      expect(existsSync(join(ROOT, 'lib', dir, 'index.ts'))).toBe(true);
    }
  });

  test('main, types and typesVersions point where `exports` does', () => {
    const root = Object.fromEntries(entries)['.'];
    expect([`./${pkg.main}`, `./${pkg.types}`]).toStrictEqual([root.default, root.types]);
    expect(pkg.typesVersions).toStrictEqual({
      '*': Object.fromEntries(entries.filter(([s]) => s !== '.').map(([s, c]) => [s.slice(2), [c.types.slice(2)]])),
    });
  });
});
