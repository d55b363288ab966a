// The generated Flux objects on a real API server (issue 25's ordering proof): the vendored Flux CRDs
// and ESO's, the namespaces, then every object of the homelab's Flux tree and of the identity fixture's
// with `kubectl apply --server-side --dry-run=server`. The API server runs the CRDs' OpenAPI schemas and
// their CEL rules (the HelmRelease CRD has several), which no schema check in `npm test` applies.
import { FIXTURE_SETTINGS } from '../support/fixtures';
import { type FluxApplyPlan, fluxApplyPlan, homelabFluxDeclaration, synthFluxTree } from '../support/flux';
import { identityFixtureCatalog } from '../support/identity-fixtures';
import { Cluster, startCluster } from './support/cluster';

/** What `kubectl apply` prints for an object: `<kind>.<group>/<name>`, or `<kind>/<name>` for the core group. */
function kubectlName(object: any): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${object.kind.toLowerCase()}${group ? `.${group}` : ''}/${object.metadata.name}`;
}

/** The plans: the homelab under gitops 'flux', and the identity fixture under Flux. */
const PLANS: readonly [string, () => FluxApplyPlan][] = [
  ['the homelab', () => fluxApplyPlan(synthFluxTree(homelabFluxDeclaration()))],
  ['the identity fixture', () => fluxApplyPlan(synthFluxTree({ catalog: identityFixtureCatalog(), settings: { ...FIXTURE_SETTINGS, gitops: 'flux' } }))],
];

describe('the generated Flux objects on a real API server (server-side dry run)', () => {
  let cluster: Cluster;
  const plans = PLANS.map(([name, plan]) => [name, plan()] as const);

  beforeAll(async () => {
    // Only the API server: nothing is reconciled, the objects are checked and not stored.
    cluster = await startCluster({ components: [], namespaces: [...new Set(plans.flatMap(([, plan]) => plan.namespaces))] });
    await cluster.applyCrds([...new Set(plans.flatMap(([, plan]) => plan.crdFiles))]);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  test.each(PLANS.map(([name]) => name))('%s: every object is accepted, stage Kustomizations first', async (name) => {
    const plan = plans.find(([n]) => n === name)![1];
    expect(plan.objects.filter((o) => o.kind === 'HelmRelease').length).toBeGreaterThan(0);
    const result = await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: plan.objects }),
      allowFailure: true,
    });
    expect({ code: result.code, stderr: result.stderr, stdout: result.stdout.trimEnd().split('\n') }).toStrictEqual({
      code: 0,
      stderr: '',
      stdout: plan.objects.map((o) => `${kubectlName(o)} serverside-applied (server dry run)`),
    });
  });

  test('the dry run applies the HelmRelease CRD\'s CEL rules: a HelmRelease with both chart and chartRef is refused', async () => {
    const [, homelab] = plans[0];
    const release = structuredClone(homelab.objects.find((o) => o.kind === 'HelmRelease'));
    release.spec.chartRef = { kind: 'OCIRepository', name: 'not-there' };
    const result = await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: JSON.stringify(release), allowFailure: true });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toStrictEqual({
      code: 1, stdout: '', stderr: `The HelmRelease "${release.metadata.name}" is invalid: spec: Invalid value: "object": either chart or chartRef must be set\n`,
    });
  });
});
