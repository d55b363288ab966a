// The cdktf entry point: `cdktf synth|deploy|diff` runs it through cdktf.json with CDKTF_OUTDIR set.
import { runSynthMain, synthOutputs } from '../lib/synth';
import { DEFAULT_TERRAFORM_OUTDIR, terraformPart } from '../lib/tf';
import { homelabDeclaration } from './homelab';

runSynthMain(() => {
  synthOutputs(homelabDeclaration(), [terraformPart(process.env.CDKTF_OUTDIR ?? DEFAULT_TERRAFORM_OUTDIR)]);
});
