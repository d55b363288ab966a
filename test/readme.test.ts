import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOMELAB_COMPONENTS } from '../apps/components';
import { homelabCatalog } from '../apps/homelab';
import { renderComponentTable } from '../lib/argocd';
import { SECRETS_DOC_PATH, renderPathTable, renderSecretsDoc } from '../lib/docs';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

function between(start: string, end: string): string {
  const from = README.indexOf('\n', README.indexOf(start)) + 1;
  return README.slice(from, README.indexOf(end));
}

describe('README', () => {
  test('its path table is the catalog\'s', () => {
    expect(between('<!-- path-table:start', '<!-- path-table:end')).toBe(renderPathTable(homelabCatalog()));
  });

  test('its component table is the synth\'s', () => {
    expect(between('<!-- component-table:start', '<!-- component-table:end')).toBe(renderComponentTable(HOMELAB_COMPONENTS, homelabCatalog()));
  });

  test('the committed docs/secrets.md is what the synth writes', () => {
    expect(readFileSync(join(__dirname, '..', SECRETS_DOC_PATH), 'utf8')).toBe(renderSecretsDoc(homelabCatalog()));
  });

  test('states the set-up commands that CI runs', () => {
    const ci = readFileSync(join(__dirname, '..', '.ci', 'run'), 'utf8');
    expect(README).toContain('npm ci && npm run synth');
    expect(README).toContain('npm test ');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm run synth$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});
