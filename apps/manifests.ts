import { addComponentApplications } from '../lib/argocd';
import { OutputPart, manifestsPart } from '../lib/synth';
import { HOMELAB_COMPONENTS } from './components';

/** Committed; the folder Argo CD syncs. Kept apart from apps/outputs.ts so `cdk8s synth` never loads cdktf. */
export const HOMELAB_MANIFESTS_DIR = 'manifests';

/** The homelab's manifests part: the ESO objects plus the Applications of Vault, ESO and Reloader. */
export function homelabManifestsPart(target: string): OutputPart {
  return manifestsPart(target, [addComponentApplications(HOMELAB_COMPONENTS)]);
}
