import { writeFileSync } from 'node:fs';
import { renderSecretsDoc } from '../docs/secrets-doc';
import type { OutputPart } from './output-part';

/**
 * docs/secrets.md: the path table and the path → Secret → namespace flowchart, the same text
 * `homelab-secrets table` prints. Committed, so CI can check that it is fresh.
 */
export function docsPart(target: string): OutputPart {
  return {
    name: 'docs',
    target,
    kind: 'file',
    render(catalog, stagingPath) {
      writeFileSync(stagingPath, renderSecretsDoc(catalog));
    },
  };
}
