import { join } from 'node:path';
import { addComponentApplications } from '../lib/argocd';
import { SECRETS_DOC_PATH } from '../lib/docs';
import { OutputPart, docsPart, manifestsPart } from '../lib/synth';
import { DEFAULT_TERRAFORM_OUTDIR, terraformPart } from '../lib/synth/terraform-part';
import { HOMELAB_COMPONENTS } from './components';
import { HOMELAB_TERRAFORM } from './platform';

/** Where `npm run synth` writes, relative to the repository root. */
export const HOMELAB_OUTPUTS = {
  /** Committed; the folder Argo CD syncs. */
  manifests: 'manifests',
  /** Not committed (cdktf re-synthesizes on deploy); cdktf's default folder, as in cdktf.json. */
  terraform: DEFAULT_TERRAFORM_OUTDIR,
  /** Committed; the path table and flowchart, checked fresh by CI. */
  docs: SECRETS_DOC_PATH,
} as const;

/** The homelab's manifests part: the ESO objects plus the Applications of Vault, ESO and Reloader. */
export function homelabManifestsPart(target: string): OutputPart {
  return manifestsPart(target, [addComponentApplications(HOMELAB_COMPONENTS)]);
}

/** Every output of `npm run synth`, under `root`. */
export function homelabOutputParts(root = '.'): OutputPart[] {
  return [
    homelabManifestsPart(join(root, HOMELAB_OUTPUTS.manifests)),
    terraformPart(join(root, HOMELAB_OUTPUTS.terraform), HOMELAB_TERRAFORM),
    docsPart(join(root, HOMELAB_OUTPUTS.docs)),
  ];
}
