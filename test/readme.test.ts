import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { homelabCatalog, homelabDeclaration } from '../apps/homelab';
import { HOMELAB_OUTPUTS } from '../apps/outputs';
import { renderComponentTable } from '../lib/argocd';
import { resolveDeclaration } from '../lib/catalog';
import { renderPathTable, renderSecretsDoc } from '../lib/docs';

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
    expect(between('<!-- component-table:start', '<!-- component-table:end')).toBe(renderComponentTable(resolveDeclaration(homelabDeclaration())));
  });

  test('the committed docs/secrets.md is what the synth writes', () => {
    expect(readFileSync(join(__dirname, '..', HOMELAB_OUTPUTS.docs), 'utf8')).toBe(renderSecretsDoc(homelabCatalog()));
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
