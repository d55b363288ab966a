import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

describe('the catalog model', () => {
  test('imports no cdk8s, cdktf or constructs types, so either renderer can be replaced', () => {
    // GIVEN
    const dir = join(__dirname, '..', '..', 'lib', 'catalog');

    // WHEN
    const imports = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => `${file}: ${m[1]}`));

    // THEN
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => !/: (\.\/[a-z-]+|node:util)$/.test(line))).toStrictEqual([]);
  });
});
