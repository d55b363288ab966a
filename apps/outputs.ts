import { join } from 'node:path';
import { docsPart } from '../lib/docs';
import type { OutputPart } from '../lib/synth';
import { DEFAULT_TERRAFORM_OUTDIR, terraformPart } from '../lib/tf';
import { HOMELAB_MANIFESTS_DIR, homelabManifestsPart } from './manifests';

/** Where `npm run synth` writes, relative to the repository root. */
export const HOMELAB_OUTPUTS = {
  /** Committed; the folder Argo CD syncs. */
  manifests: HOMELAB_MANIFESTS_DIR,
  /** Not committed (cdktf re-synthesizes on deploy); cdktf's default folder, as in cdktf.json. */
  terraform: DEFAULT_TERRAFORM_OUTDIR,
  /** Committed; the path table and flowchart, checked fresh by CI. */
  docs: 'docs/secrets.md',
} as const;

/** Every output of `npm run synth`, under `root`. */
export function homelabOutputParts(root = '.'): OutputPart[] {
  return [
    homelabManifestsPart(join(root, HOMELAB_OUTPUTS.manifests)),
    terraformPart(join(root, HOMELAB_OUTPUTS.terraform)),
    docsPart(join(root, HOMELAB_OUTPUTS.docs)),
  ];
}
