import { writeFileSync } from 'node:fs';
import type { OutputPart } from '../synth';
import { renderSecretsDoc } from './secrets-doc';

/**
 * The path table and the path → Secret → namespace flowchart as one Markdown file, the same text
 * `homelab-secrets table` prints. Meant to be committed, so CI can check that it is fresh.
 */
export function docsPart(target: string): OutputPart {
  return {
    name: 'docs',
    target,
    kind: 'file',
    render(declaration, stagingPath) {
      writeFileSync(stagingPath, renderSecretsDoc(declaration.catalog));
    },
  };
}
