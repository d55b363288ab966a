import { join } from 'node:path';
import { OutputPart, manifestsPart } from '../lib/synth';

/** Where `npm run synth` writes, relative to the repository root. */
export const HOMELAB_OUTPUTS = {
  /** Committed; the folder Argo CD syncs. */
  manifests: 'manifests',
} as const;

/** The homelab's manifests part: the ESO objects plus every contributed chart. */
export function homelabManifestsPart(target: string): OutputPart {
  return manifestsPart(target, []);
}

/** Every output of `npm run synth`, under `root`. */
export function homelabOutputParts(root = '.'): OutputPart[] {
  return [homelabManifestsPart(join(root, HOMELAB_OUTPUTS.manifests))];
}
