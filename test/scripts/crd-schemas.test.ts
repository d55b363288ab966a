import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTree } from '../support/synth';

const ROOT = join(__dirname, '..', '..');

describe('scripts/crd-schemas.mjs', () => {
  let out: string;
  let files: Record<string, string>;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'homelab-secrets-schemas-'));
    execFileSync('node', [join(ROOT, 'scripts', 'crd-schemas.mjs'), join(__dirname, 'fixtures', 'crds'), out], { stdio: 'pipe' });
    files = readTree(out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('writes one kubeconform schema per served version, as {group}/{kind}_{version}.json', () => {
    expect(Object.keys(files)).toStrictEqual(['example.com/widget_v1.json']);
  });

  test('treats a field named `properties` as a field, and closes every object that lists its properties', () => {
    // additionalProperties: false on every schema with properties, except where the CRD allows more
    // (its own additionalProperties, or x-kubernetes-preserve-unknown-fields); the field maps named
    // "properties" get none. nullable becomes a "null" type, int-or-string an anyOf. Compared as text:
    // the key order (added keywords last), the two-space indents and the final newline are the output too.
    const expected = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          required: ['properties'],
          properties: {
            properties: { description: 'Property keys to match.', type: 'array', items: { type: 'string' } },
            labels: { type: 'object', additionalProperties: { type: 'string' } },
            extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
            note: { type: ['string', 'null'], nullable: true },
            port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
            rules: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  properties: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
                },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    };
    expect(files['example.com/widget_v1.json']).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });
});
