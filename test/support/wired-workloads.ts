// The Deployments docs/components.md wires to the homelab's Secrets with `wireSecret`, as a user's own
// chart synthesizes them: the real-cluster suite (test/cluster/homelab.test.ts) applies them and waits for
// Reloader, and the output the suites share (test/e2e/support/outputs.ts) holds them as a file that the
// mutation suite can change.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { SecretCatalog, SyncTarget } from '../../lib/catalog';
import { wireSecret } from '../../lib/workloads';

/**
 * Two Deployments wired to apps/openclaw's Secrets with `wireSecret`, as docs/components.md shows: OpenClaw
 * takes openclaw-secrets as environment variables, Alertmanager the hooks token as a volume.
 */
export function wiredWorkloads(catalog: SecretCatalog): any[] {
  const target = (name: string): SyncTarget => {
    const found = catalog.targets.find((t) => t.name === name);
    if (!found) throw new Error(`the catalog has no target ${name}`);
    return found;
  };
  const app = Testing.app();
  const openclawChart = new Chart(app, 'openclaw', { namespace: 'openclaw', disableResourceNameHashes: true });
  const openclaw = new kplus.Deployment(openclawChart, 'openclaw', { metadata: { name: 'openclaw' }, containers: [{ image: 'registry.invalid/openclaw:1' }] });
  wireSecret(openclaw, openclaw.containers[0], target('openclaw-secrets'), { as: 'env' });
  const alertmanagerChart = new Chart(app, 'monitoring', { namespace: 'monitoring', disableResourceNameHashes: true });
  const alertmanager = new kplus.Deployment(alertmanagerChart, 'alertmanager', { metadata: { name: 'alertmanager' }, containers: [{ image: 'registry.invalid/alertmanager:1' }] });
  wireSecret(alertmanager, alertmanager.containers[0], target('alertmanager-openclaw-hooks-token'), { as: 'volume', mountPath: '/etc/alertmanager/openclaw' });
  return [...Testing.synth(openclawChart), ...Testing.synth(alertmanagerChart)];
}
