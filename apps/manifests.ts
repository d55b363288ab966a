import { componentApplications } from '../lib/argocd';
import { manifestsPart } from '../lib/k8s';
import type { OutputPart } from '../lib/synth';

/** Committed; the folder Argo CD syncs. Kept apart from apps/outputs.ts so `cdk8s synth` never loads cdktf. */
export const HOMELAB_MANIFESTS_DIR = 'manifests';

/** The homelab's manifests part: the ESO objects plus the Applications of Vault, ESO and Reloader. */
export function homelabManifestsPart(target: string): OutputPart {
  return manifestsPart(target, [componentApplications()]);
}
