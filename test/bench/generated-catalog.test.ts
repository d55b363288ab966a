import { generatedCatalog } from '../../bench/generated-catalog';

describe('the benchmark\'s generated catalog', () => {
  test('is a valid catalog of the size asked for, one path in ten feeding a second namespace', () => {
    const catalog = generatedCatalog(30);
    expect(catalog.validate()).toStrictEqual([]);
    expect([catalog.paths.length, catalog.targets.length, catalog.namespaces.length]).toStrictEqual([30, 33, 20]);
  });
});
