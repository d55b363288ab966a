// `npm run synth`: every output from the one catalog, validated once, written all-or-nothing.
import { manifestsPart, runSynthMain, synthOutputs } from '../lib/synth';
import { homelabCatalog } from './homelab';
import { HOMELAB_OUTPUTS } from './outputs';

runSynthMain(() => {
  synthOutputs(homelabCatalog(), [manifestsPart(HOMELAB_OUTPUTS.manifests)]);
});
