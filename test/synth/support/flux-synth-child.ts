// A synth of the Flux tree in its own process, for the kill test of test/synth/flux-output.test.ts:
//   node -r test/support/swc-register.js test/synth/support/flux-synth-child.ts '<config JSON>'
// The real manifests part under gitops 'flux' (stage folders in <repository>/clusters/my-cluster/secrets)
// beside the config's file parts, with synth-child.ts's kill, delay and step log.
import { homelabFluxDeclaration, homelabFluxManifestsPart } from '../../../apps/flux-manifests';
import type { Declaration } from '../../../lib/catalog';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../../support/fixtures';
import { ChildConfig, runChild } from './synth-child';

export interface FluxChildConfig extends ChildConfig {
  /** The folder that stands for the repository root. */
  readonly repository: string;
  /** The fixture catalog ('old') or the homelab's ('new'): other namespaces, so other files in the stage folders. */
  readonly version: 'old' | 'new';
}

/** The two declarations, both under gitops 'flux' with flux bootstrap's cluster folder. */
export function fluxDeclaration(version: 'old' | 'new'): Declaration {
  return version === 'old' ? fixtureDeclaration(undefined, { ...FIXTURE_SETTINGS, gitops: 'flux' }) : homelabFluxDeclaration();
}

if (require.main === module) {
  const config = JSON.parse(process.argv[2]) as FluxChildConfig;
  runChild(config, fluxDeclaration(config.version), [homelabFluxManifestsPart(config.repository)]);
}
