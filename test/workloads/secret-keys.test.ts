import { SecretCatalog } from '../../lib/catalog';
import { targetSecretKeys } from '../../lib/workloads';

describe('targetSecretKeys', () => {
  test('lists the copied keys once each, renamed ones under their new name', () => {
    // GIVEN a Secret fed from two paths, one key renamed, one path taken whole
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const sonarr = catalog.path('apps/sonarr', ['API_KEY']);
    const radarr = catalog.path('apps/radarr', ['API_KEY', 'URL']);
    const target = catalog.addTarget({
      name: 'exporter',
      namespace: 'arr',
      sources: [sonarr.select({ renames: { API_KEY: 'SONARR_API_KEY' } }), radarr.extractAll()],
    });

    // THEN the Secret's keys are the renamed key and the extracted path's declared keys
    expect(targetSecretKeys(target)).toStrictEqual(['SONARR_API_KEY', 'API_KEY', 'URL']);
  });

  test('lists only the template\'s keys when the template replaces the copied ones', () => {
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const target = catalog.path('infrastructure/velero', ['id', 'secret']).syncTo({
      name: 'velero-cloud',
      namespace: 'backups',
      template: (v) => ({ cloud: `id=${v.id}\nsecret=${v.secret}\n` }),
    });
    expect(targetSecretKeys(target)).toStrictEqual(['cloud']);
  });

  test('lists copied and templated keys when the template merges', () => {
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const target = catalog.path('apps/db', ['user', 'password']).syncTo({
      name: 'db',
      namespace: 'apps',
      template: (v) => ({ url: `postgres://${v.user}:${v.password}@db/app`, user: v.user }),
      templateMergePolicy: 'Merge',
    });
    expect(targetSecretKeys(target)).toStrictEqual(['user', 'password', 'url']);
  });
});
