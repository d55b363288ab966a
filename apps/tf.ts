// The cdktf entry point: `cdktf synth|deploy|diff` runs it through cdktf.json with CDKTF_OUTDIR set.
import { runSynthMain, synthOutputs } from '../lib/synth';
import { DEFAULT_TERRAFORM_OUTDIR, terraformPart } from '../lib/synth/terraform-part';
import { homelabCatalog } from './homelab';
import { HOMELAB_TERRAFORM } from './platform';

runSynthMain(() => {
  synthOutputs(homelabCatalog(), [terraformPart(process.env.CDKTF_OUTDIR ?? DEFAULT_TERRAFORM_OUTDIR, HOMELAB_TERRAFORM)]);
});
