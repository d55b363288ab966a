import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

describe('provider imports', () => {
  test('import one resource module at a time, never a provider package index (~4 s and ~565 MB for aws)', () => {
    // GIVEN
    const files = ['lib', 'apps', 'test'].flatMap((dir) => sources(join(ROOT, dir)));

    // WHEN
    const offenders = files.filter((file) =>
      /from\s+['"]@cdktf\/provider-(aws|vault)(\/lib)?['"]|require\(\s*['"]@cdktf\/provider-(aws|vault)(\/lib)?['"]\s*\)/.test(readFileSync(file, 'utf8')),
    );

    // THEN
    expect(offenders.map((file) => relative(ROOT, file))).toStrictEqual([]);
  });
});
