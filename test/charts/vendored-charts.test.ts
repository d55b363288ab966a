import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { HELM_CHARTS } from '../../lib/components';
import { chartDefaults, chartOf, chartValueKeys, coalesce, committedApplications, readYamlDocuments, ROOT, unknownValueKeys, vendoredCharts } from '../support/charts';

// The Applications' values as committed (what Argo CD hands to helm), checked against the vendored charts.
// Rendering them with the real helm is in test/e2e/helm-template.test.ts.
const apps = committedApplications();

describe('the vendored charts in charts/', () => {
  test('are exactly the charts the committed Applications install', () => {
    expect(Object.values(apps).map((app) => `${app.chart} ${app.targetRevision}`).sort()).toStrictEqual(
      vendoredCharts().map((c) => `${c.name} ${c.version}`),
    );
    for (const app of Object.values(apps)) expect(chartOf(app).name).toBe(app.chart);
  });

  test.each(Object.entries(HELM_CHARTS))('pin HELM_CHARTS.%s is the vendored chart version', (key, ref) => {
    const vendored = vendoredCharts().filter((c) => c.name === ref.chart);
    const versions = vendored.map((c) => c.version).join(', ') || 'none';
    const message =
      `HELM_CHARTS.${key} in lib/components/charts.ts pins ${ref.chart} ${ref.version}, but charts/ vendors ${versions}. ` +
      `To refresh: copy the ${ref.chart} ${ref.version} chart into charts/${ref.chart}-${ref.version}/ ` +
      `(remove the old folder), update charts/SOURCE.md, and run the tests`;
    if (!(vendored.length === 1 && vendored[0].version === ref.version)) throw new Error(message);
    expect(vendored[0].dir).toBe(join(ROOT, 'charts', `${ref.chart}-${ref.version}`));
  });

  test('charts/SOURCE.md lists every vendored chart', () => {
    const source = readFileSync(join(ROOT, 'charts', 'SOURCE.md'), 'utf8');
    for (const chart of vendoredCharts()) expect(source).toContain(`| \`${chart.name}-${chart.version}/\` | ${chart.name} ${chart.version} `);
  });
});

describe.each(Object.keys(apps))('the %s Application values', (name) => {
  const app = apps[name];
  const chart = chartOf(app);

  test("use only keys the chart's values.yaml has", () => {
    expect(unknownValueKeys(app.values, chartValueKeys(chart))).toStrictEqual([]);
  });
});

describe('the values-key check', () => {
  // The check above is only worth something if it reports a typo: rename keys in a copy of the committed values.
  const vault = apps.vault;
  const defaults = chartValueKeys(chartOf(vault));

  test('reports a renamed key with its path', () => {
    const server = { ...(vault.values.server as Record<string, unknown>) };
    server.extraSecretEnvironmentVar = server.extraSecretEnvironmentVars;
    delete server.extraSecretEnvironmentVars;
    expect(unknownValueKeys({ ...vault.values, server }, defaults)).toStrictEqual(['server.extraSecretEnvironmentVar']);
  });

  test('reports a misspelt key inside a list item that values.yaml shows an example of', () => {
    const server = vault.values.server as any;
    const typo = { ...server, ingress: { ...server.ingress, hosts: [{ hots: 'vault.homelab.local', paths: [] }] } };
    expect(unknownValueKeys({ ...vault.values, server: typo }, defaults)).toStrictEqual(['server.ingress.hosts[0].hots']);
  });

  test('takes keys below an empty map, a scalar or an empty list as free-form', () => {
    expect(
      unknownValueKeys(
        { server: { annotations: { 'any/key': 'x' }, extraEnvironmentVars: { ANY: 'x' }, extraSecretEnvironmentVars: [{ any: 'x' }], standalone: { config: { any: 1 } } } },
        defaults,
      ),
    ).toStrictEqual([]);
  });
});

describe("the chart's values.schema.json", () => {
  // helm validates the coalesced values (values.yaml overlaid with the Application's values).
  const eso = apps['external-secrets'];
  const esoChart = chartOf(eso);
  const validateEso = new Ajv2020({ strict: false, allErrors: true }).compile(
    JSON.parse(readFileSync(join(esoChart.dir, 'values.schema.json'), 'utf8')),
  );

  test('accepts the external-secrets values (draft 2020-12 schema)', () => {
    validateEso(coalesce(chartDefaults(esoChart), eso.values));
    expect(validateEso.errors ?? []).toStrictEqual([]);
  });

  test('rejects external-secrets values of the wrong type, so the check can fail', () => {
    expect(validateEso(coalesce(chartDefaults(esoChart), { ...eso.values, installCRDs: 'yes' }))).toBe(false);
    expect(validateEso.errors?.map((e) => `${e.instancePath} ${e.message}`)).toStrictEqual(['/installCRDs must be boolean']);
  });

  test('accepts the vault values (draft-07 schema)', () => {
    const chart = chartOf(apps.vault);
    // Its "$schema" is the https spelling of draft-07, which ajv does not know by that name; draft-07 is ajv's default.
    const { $schema, ...schema } = JSON.parse(readFileSync(join(chart.dir, 'values.schema.json'), 'utf8'));
    expect($schema).toBe('https://json-schema.org/draft-07/schema#');
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    validate(coalesce(chartDefaults(chart), apps.vault.values));
    expect(validate.errors ?? []).toStrictEqual([]);
  });
});

describe('the committed ClusterSecretStore', () => {
  test('authenticates as the ServiceAccount the external-secrets values create', () => {
    // The rendered ServiceAccount is checked in test/e2e/helm-template.test.ts; here, that the values ask for it.
    const [store] = readYamlDocuments(join(ROOT, 'manifests', 'cluster-secret-store.yaml'));
    const ref = store.spec.provider.vault.auth.kubernetes.serviceAccountRef;
    const eso = apps['external-secrets'];
    expect({ name: ref.name, namespace: ref.namespace }).toStrictEqual({
      name: (eso.values.serviceAccount as any).name,
      namespace: eso.namespace,
    });
    expect((eso.values.serviceAccount as any).create).toBe(true);
  });
});
