import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SecretCatalog } from '../../lib/catalog';
import { RELOADER_AUTO_ANNOTATION, RELOADER_SEARCH_ANNOTATION, wireSecret } from '../../lib/workloads';

/** The homelab's MinIO row, and a Deployment in the Secret's namespace to wire it into. */
function fixture(namespace = 'backups') {
  const catalog = new SecretCatalog({ mount: 'homelab' });
  const minio = catalog.path('infrastructure/minio', ['rootUser', 'rootPassword'])
    .syncTo({ name: 'minio-credentials', namespace: 'backups' });
  const chart = new Chart(Testing.app(), 'apps', { namespace, disableResourceNameHashes: true });
  const deployment = new kplus.Deployment(chart, 'minio', { metadata: { name: 'minio' } });
  const container = deployment.addContainer({ name: 'minio', image: 'quay.io/minio/minio:RELEASE.2025-01-01T00-00-00Z' });
  return { catalog, minio, chart, deployment, container };
}

function deploymentOf(chart: Chart): any {
  return Testing.synth(chart).find((o) => o.kind === 'Deployment');
}

describe('wireSecret', () => {
  test('adds one variable per Secret key and the Reloader annotation', () => {
    // GIVEN a Deployment and the minio-credentials target
    const { minio, chart, deployment, container } = fixture();

    // WHEN the Secret is wired as environment variables
    wireSecret(deployment, container, minio, { as: 'env' });

    // THEN each key is a secretKeyRef and the Deployment restarts when the Secret changes
    const manifest = deploymentOf(chart);
    expect(manifest.metadata.annotations).toStrictEqual({ [RELOADER_AUTO_ANNOTATION]: 'true' });
    expect(manifest.spec.template.spec.containers[0].env).toStrictEqual([
      { name: 'rootUser', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootUser' } } },
      { name: 'rootPassword', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootPassword' } } },
    ]);
  });

  test('exposes selected keys under the variable names the program reads', () => {
    // GIVEN the same target
    const { minio, chart, deployment, container } = fixture();

    // WHEN the keys are wired under MinIO's own variable names
    wireSecret(deployment, container, minio, {
      as: 'env',
      keys: ['rootUser', 'rootPassword'],
      names: { rootUser: 'MINIO_ROOT_USER', rootPassword: 'MINIO_ROOT_PASSWORD' },
    });

    // THEN the variables carry those names
    expect(deploymentOf(chart).spec.template.spec.containers[0].env).toStrictEqual([
      { name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootUser' } } },
      { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootPassword' } } },
    ]);
  });

  test('mounts the whole Secret as a read-only volume', () => {
    // GIVEN the same target
    const { minio, chart, deployment, container } = fixture();

    // WHEN the Secret is wired as a volume
    wireSecret(deployment, container, minio, { as: 'volume', mountPath: '/etc/minio/credentials' });

    // THEN every key is a file, and the workload is annotated for Reloader
    const manifest = deploymentOf(chart);
    expect(manifest.spec.template.spec.volumes).toStrictEqual([
      { name: 'secret-minio-credentials', secret: { secretName: 'minio-credentials' } },
    ]);
    expect(manifest.spec.template.spec.containers[0].volumeMounts).toStrictEqual([
      { name: 'secret-minio-credentials', mountPath: '/etc/minio/credentials', readOnly: true },
    ]);
    expect(manifest.metadata.annotations).toStrictEqual({ [RELOADER_AUTO_ANNOTATION]: 'true' });
  });

  test('projects only the selected keys when some are chosen', () => {
    const { minio, chart, deployment, container } = fixture();
    wireSecret(deployment, container, minio, { as: 'volume', mountPath: '/run/secrets', keys: ['rootPassword'], volumeName: 'password' });
    expect(deploymentOf(chart).spec.template.spec.volumes).toStrictEqual([
      { name: 'password', secret: { secretName: 'minio-credentials', items: [{ key: 'rootPassword', path: 'rootPassword' }] } },
    ]);
  });

  test('wires one Secret both ways without a second Secret reference', () => {
    const { minio, chart, deployment, container } = fixture();
    wireSecret(deployment, container, minio, { as: 'env', keys: ['rootUser'] });
    wireSecret(deployment, container, minio, { as: 'volume', mountPath: '/run/secrets', keys: ['rootPassword'] });
    const spec = deploymentOf(chart).spec.template.spec;
    expect(spec.containers[0].env).toHaveLength(1);
    expect(spec.volumes).toHaveLength(1);
    expect(Testing.synth(chart).map((o) => o.kind)).toStrictEqual(['Deployment']);
  });

  test('only compiles the keys the Secret declares, and refuses the others at synth time too', () => {
    const { minio, deployment, container } = fixture();
    // @ts-expect-error "rootPasswd" is not a key of minio-credentials
    expect(() => wireSecret(deployment, container, minio, { as: 'env', keys: ['rootPasswd'] })).toThrow(
      'key "rootPasswd" is not a key of Secret "minio-credentials" in "backups" (keys: rootUser, rootPassword)');
    // @ts-expect-error "rootPasswd" is not a key of minio-credentials
    expect(() => wireSecret(deployment, container, minio, { as: 'env', keys: ['rootUser'], names: { rootPasswd: 'X' } })).toThrow(
      'names gives a variable name for "rootPasswd", which is not a selected key of Secret "minio-credentials"');
    // @ts-expect-error "rootPasswd" is not a key of minio-credentials
    expect(() => wireSecret(deployment, container, minio, { as: 'volume', mountPath: '/x', keys: ['rootPasswd'] })).toThrow(
      'key "rootPasswd" is not a key of Secret "minio-credentials" in "backups" (keys: rootUser, rootPassword)');
  });

  test('follows renames: the Secret key is the new name', () => {
    // GIVEN a target that renames its one key
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const token = catalog.path('apps/openclaw', ['OPENCLAW_HOOKS_TOKEN'])
      .syncTo({ name: 'hooks-token', namespace: 'monitoring', renames: { OPENCLAW_HOOKS_TOKEN: 'token' } });
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'monitoring' });
    const deployment = new kplus.Deployment(chart, 'alertmanager');
    const container = deployment.addContainer({ image: 'alertmanager' });

    // WHEN wired THEN only the new name compiles and works
    wireSecret(deployment, container, token, { as: 'volume', mountPath: '/etc/alertmanager/openclaw', keys: ['token'] });
    // @ts-expect-error the Secret holds "token", not the Vault key name
    expect(() => wireSecret(deployment, container, token, { as: 'env', keys: ['OPENCLAW_HOOKS_TOKEN'] })).toThrow(
      'key "OPENCLAW_HOOKS_TOKEN" is not a key of Secret "hooks-token" in "monitoring" (keys: token)');
  });

  test('checks a templated Secret against the keys its template writes', () => {
    // GIVEN a target whose template replaces the copied keys
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const velero = catalog.path('infrastructure/velero', ['id', 'secret']).syncTo({
      name: 'velero-cloud',
      namespace: 'backups',
      template: (v) => ({ cloud: `[default]\naws_access_key_id=${v.id}\naws_secret_access_key=${v.secret}\n` }),
    });
    const { chart, deployment, container } = fixture();

    // WHEN wired with all keys THEN the Secret's one file is mounted, and a copied key is refused
    wireSecret(deployment, container, velero, { as: 'volume', mountPath: '/credentials' });
    expect(deploymentOf(chart).spec.template.spec.volumes).toStrictEqual([{ name: 'secret-velero-cloud', secret: { secretName: 'velero-cloud' } }]);
    expect(() => wireSecret(deployment, container, velero, { as: 'env', keys: ['id'] })).toThrow(
      'key "id" is not a key of Secret "velero-cloud" in "backups" (keys: cloud)');
  });

  test('refuses wiring that would not work in the cluster', () => {
    const { minio, deployment, container } = fixture();
    const other = new kplus.Deployment(new Chart(Testing.app(), 'x', { namespace: 'backups' }), 'other');
    expect(() => wireSecret(other, container, minio, { as: 'env' })).toThrow('container "minio" does not belong to workload "x/other"');

    const elsewhere = fixture('media');
    expect(() => wireSecret(elsewhere.deployment, elsewhere.container, minio, { as: 'env' })).toThrow(
      'Secret "minio-credentials" lives in namespace "backups", but workload "apps/minio" is in "media"');

    expect(() => wireSecret(deployment, container, minio, { as: 'env', keys: [] })).toThrow(
      'no keys selected from Secret "minio-credentials" in "backups"');
    expect(() => wireSecret(deployment, container, minio, { as: 'env', keys: ['rootUser'], names: { rootUser: '1USER' } })).toThrow(
      'environment variable name "1USER" for key "rootUser" must match ^[-._a-zA-Z][-._a-zA-Z0-9]*$');
    expect(() => wireSecret(deployment, container, minio, { as: 'env', names: { rootUser: 'X', rootPassword: 'X' } })).toThrow(
      'environment variable "X" is already set on container "minio"');
    expect(() => wireSecret(deployment, container, minio, { as: 'volume', mountPath: 'etc/minio' })).toThrow(
      'mountPath "etc/minio" must be an absolute path');

    wireSecret(deployment, container, minio, { as: 'volume', mountPath: '/a' });
    expect(() => wireSecret(deployment, container, minio, { as: 'volume', mountPath: '/b' })).toThrow(
      'volume "secret-minio-credentials" is already defined on workload "apps/minio"');
  });

  test('refuses a workload in Reloader search mode, which does not combine with auto', () => {
    const { minio, deployment, container } = fixture();
    deployment.metadata.addAnnotation(RELOADER_SEARCH_ANNOTATION, 'true');
    expect(() => wireSecret(deployment, container, minio, { as: 'env' })).toThrow(
      'workload "apps/minio" uses Reloader\'s search mode (reloader.stakater.com/search), which does not combine with reloader.stakater.com/auto');
  });

  test('an example Deployment matches the snapshot', () => {
    // GIVEN MinIO reading its root user from the environment and its password from a file
    const { minio, chart, deployment, container } = fixture();
    wireSecret(deployment, container, minio, { as: 'env', keys: ['rootUser'], names: { rootUser: 'MINIO_ROOT_USER' } });
    wireSecret(deployment, container, minio, { as: 'volume', mountPath: '/run/secrets/minio', keys: ['rootPassword'] });
    container.env.addVariable('MINIO_ROOT_PASSWORD_FILE', kplus.EnvValue.fromValue('/run/secrets/minio/rootPassword'));

    // THEN the whole Deployment is stable
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});
