// `npm run synth`: every output from the one catalog, validated once, written all-or-nothing.
import { runSynthMain, synthOutputs } from '../lib/synth';
import { homelabCatalog } from './homelab';
import { homelabOutputParts } from './outputs';

runSynthMain(() => {
  synthOutputs(homelabCatalog(), homelabOutputParts(process.env.HOMELAB_SECRETS_OUTDIR ?? '.'));
});
