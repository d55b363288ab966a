// `npm run synth`: every output from the one declaration, validated once, written all-or-nothing.
import { runSynthMain, synthOutputs } from '../lib/synth';
import { homelabDeclaration } from './homelab';
import { homelabOutputParts } from './outputs';

runSynthMain(() => {
  synthOutputs(homelabDeclaration(), homelabOutputParts(process.env.HOMELAB_SECRETS_OUTDIR ?? '.'));
});
