import { join } from 'node:path';
import type { Declaration } from '../lib/catalog';
import { resolveFluxSettings } from '../lib/catalog';
import { manifestsPart } from '../lib/k8s';
import type { OutputPart } from '../lib/synth';
import { HOMELAB_SETTINGS, homelabCatalog } from './homelab';

/**
 * The homelab as a Flux user would declare it: the same catalog and settings, gitops 'flux' with
 * flux bootstrap's defaults. Not the committed output (the homelab runs Argo CD): `npm run validate`,
 * the tests and the real-cluster proof synthesize it into a temporary repository.
 */
export function homelabFluxDeclaration(): Declaration {
  return { catalog: homelabCatalog(), settings: { ...HOMELAB_SETTINGS, gitops: 'flux' } };
}

/** The manifests folder's name inside the cluster folder. */
export const HOMELAB_FLUX_FOLDER = 'secrets';

/** The Flux manifests part, written into `<repository>/<cluster folder>/secrets`. */
export function homelabFluxManifestsPart(repository: string): OutputPart {
  const { clusterPath } = resolveFluxSettings(homelabFluxDeclaration().settings.flux);
  return manifestsPart(join(repository, clusterPath, HOMELAB_FLUX_FOLDER));
}
