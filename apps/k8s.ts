// The cdk8s entry point: `cdk8s synth` runs it through cdk8s.yaml, with CDK8S_OUTDIR set.
import { runSynthMain, synthOutputs } from '../lib/synth';
import { homelabDeclaration } from './homelab';
import { HOMELAB_MANIFESTS_DIR, homelabManifestsPart } from './manifests';

runSynthMain(() => {
  synthOutputs(homelabDeclaration(), [homelabManifestsPart(process.env.CDK8S_OUTDIR ?? HOMELAB_MANIFESTS_DIR)]);
});
