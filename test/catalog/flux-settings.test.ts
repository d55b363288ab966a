import { type PlatformSettings, validateDeclaration } from '../../lib/catalog';
import { FIXTURE_SETTINGS, fixtureDeclaration, resolvedFixture } from '../support/fixtures';

type Untyped = any;

function issues(settings: Untyped): string[] {
  return validateDeclaration(fixtureDeclaration(undefined, settings)).map((issue) => issue.message);
}

const FLUX: PlatformSettings = { ...FIXTURE_SETTINGS, gitops: 'flux' };

describe('settings.flux', () => {
  test('defaults to the layout of flux bootstrap: the flux-system GitRepository and namespace, ./clusters/my-cluster', () => {
    expect(resolvedFixture(undefined, FLUX).settings.flux).toStrictEqual({
      sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
      clusterPath: './clusters/my-cluster',
      namespace: 'flux-system',
    });
  });

  test('resolves a named OCIRepository, its namespace and a cluster folder written without ./ or with a trailing /', () => {
    const flux = (settings: PlatformSettings['flux']) => resolvedFixture(undefined, { ...FLUX, flux: settings }).settings.flux;
    expect(flux({ sourceRef: { kind: 'OCIRepository', name: 'homelab' }, clusterPath: 'clusters/home/', namespace: 'gitops' })).toStrictEqual({
      sourceRef: { kind: 'OCIRepository', name: 'homelab', namespace: 'gitops' },
      clusterPath: './clusters/home',
      namespace: 'gitops',
    });
    expect(flux({ sourceRef: { namespace: 'flux-sources' } }).sourceRef).toStrictEqual({ kind: 'GitRepository', name: 'flux-system', namespace: 'flux-sources' });
    expect(flux({ clusterPath: './' }).clusterPath).toBe('.');
    expect(flux({ clusterPath: '.' }).clusterPath).toBe('.');
    expect(flux({ clusterPath: './k8s/clusters/home_1.x' }).clusterPath).toBe('./k8s/clusters/home_1.x');
  });

  test('lists every mistake at once, with its row, field and value', () => {
    expect(issues({
      ...FLUX,
      flux: { sourceRef: { kind: 'Bucket', name: 'Flux System', namespace: 'flux_system', ref: 'main' }, clusterPath: '../clusters/home', namespace: 'Flux', interval: '5m' },
    })).toStrictEqual([
      'settings.flux: option "interval" is not an option of settings.flux (known: sourceRef, clusterPath, namespace)',
      'settings.flux: clusterPath "../clusters/home" must be a folder inside the repository, relative to its root, such as "./clusters/home": segments of letters, digits, ".", "_" and "-" that do not start with "." or "-", separated by single "/", no ".." and no leading "/"',
      'settings.flux: namespace "Flux" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
      'settings.flux.sourceRef: option "ref" is not an option of settings.flux.sourceRef (known: kind, name, namespace)',
      'settings.flux.sourceRef: kind "Bucket" must be "GitRepository" or "OCIRepository"',
      'settings.flux.sourceRef: name "Flux System" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'settings.flux.sourceRef: namespace "flux_system" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
    ]);
  });

  test.each(['/clusters/home', 'clusters//home', 'clusters/../home', 'clusters/.hidden', 'clusters/home dir', 'clusters\\home', '', 7])(
    'refuses the cluster folder %p', (clusterPath) => {
      expect(issues({ ...FLUX, flux: { clusterPath } })).toHaveLength(1);
      expect(issues({ ...FLUX, flux: { clusterPath } })[0]).toMatch(/^settings\.flux: clusterPath .* must be a folder inside the repository/);
    },
  );

  test('refuses a flux block without gitops "flux", and a flux block or sourceRef that is not an object', () => {
    expect(issues({ ...FIXTURE_SETTINGS, flux: { clusterPath: './clusters/home' } })).toStrictEqual([
      'settings: flux {"clusterPath":"./clusters/home"} is read only with gitops "flux", not "argocd": set gitops: "flux", or remove flux',
    ]);
    expect(issues({ ...FIXTURE_SETTINGS, gitops: 'plain', flux: {} })).toStrictEqual([
      'settings: flux {} is read only with gitops "flux", not "plain": set gitops: "flux", or remove flux',
    ]);
    expect(issues({ ...FLUX, flux: 'flux-system' })).toStrictEqual(['settings.flux: settings.flux "flux-system" must be an object']);
    expect(issues({ ...FLUX, flux: { sourceRef: 'flux-system' } })).toStrictEqual(['settings.flux.sourceRef: settings.flux.sourceRef "flux-system" must be an object']);
  });
});
