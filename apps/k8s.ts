// The cdk8s entry point: `cdk8s synth` runs it through cdk8s.yaml, with CDK8S_OUTDIR set.
import { runSynthMain, synthOutputs } from '../lib/synth';
import { homelabCatalog } from './homelab';
import { HOMELAB_MANIFESTS_DIR, homelabManifestsPart } from './manifests';

runSynthMain(() => {
  synthOutputs(homelabCatalog(), [homelabManifestsPart(process.env.CDK8S_OUTDIR ?? HOMELAB_MANIFESTS_DIR)]);
});
