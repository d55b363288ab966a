// The cdk8s entry point: `cdk8s synth` runs it through cdk8s.yaml, with CDK8S_OUTDIR set.
import { runSynthMain, synthOutputs } from '../lib/synth';
import { homelabCatalog } from './homelab';
import { HOMELAB_OUTPUTS, homelabManifestsPart } from './outputs';

runSynthMain(() => {
  synthOutputs(homelabCatalog(), [homelabManifestsPart(process.env.CDK8S_OUTDIR ?? HOMELAB_OUTPUTS.manifests)]);
});
