import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELM_CHARTS } from '../../lib/components';

describe('HELM_CHARTS', () => {
  test('pins every chart to an exact version', () => {
    for (const ref of Object.values(HELM_CHARTS)) expect(ref.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('installs the ESO release whose CRDs the manifests are validated against', () => {
    // GIVEN the release the vendored ESO CRDs were copied from
    const source = readFileSync(join(__dirname, '..', '..', 'crds', 'external-secrets', 'SOURCE.md'), 'utf8');
    const tag = /Release tag: `v(\d+\.\d+\.\d+)`/.exec(source)?.[1];

    // THEN the chart is that release
    expect(tag).toStrictEqual(HELM_CHARTS.externalSecrets.version);
  });
});
