import { SecretCatalog, SyncTarget } from '../../lib/catalog';

describe('SecretCatalog', () => {
  test('resolves the shared ESO access defaults once', () => {
    // GIVEN / WHEN
    const catalog = new SecretCatalog();

    // THEN
    expect(catalog.mount).toBe('homelab');
    expect(catalog.eso).toStrictEqual({
      storeName: 'vault-backend',
      server: 'https://vault.vault.svc:8200',
      authMountPath: 'kubernetes',
      role: 'external-secrets',
      audience: 'vault',
      serviceAccountName: 'external-secrets',
      serviceAccountNamespace: 'external-secrets',
      caSecretName: 'vault-tls',
      caSecretNamespace: 'vault',
      caSecretKey: 'ca.crt',
    });
    expect(catalog.vaultRole).toStrictEqual({ audience: 'vault', tokenTtlSeconds: 900 });
  });

  test('syncTo declares a target with every declared key and the documented defaults', () => {
    // GIVEN
    const catalog = new SecretCatalog();
    const minio = catalog.path('infrastructure/minio', ['rootUser', 'rootPassword']);

    // WHEN
    const target = minio.syncTo({ name: 'minio-credentials', namespace: 'backups' });

    // THEN
    expect(target.row).toBe('infrastructure/minio → minio-credentials in backups');
    expect(target.creationPolicy).toBe('Owner');
    expect(target.refreshInterval).toBe('1h');
    expect(target.reloaderMatch).toBe(false);
    expect(target.secretKeys).toStrictEqual(['rootUser', 'rootPassword']);
    expect(catalog.targetsOf(minio)).toStrictEqual([target]);
    expect(catalog.validate()).toStrictEqual([]);
  });

  test('one path feeds several Secrets in several namespaces', () => {
    // GIVEN
    const catalog = new SecretCatalog();
    const openclaw = catalog.path('apps/openclaw', ['GATEWAY_TOKEN', 'HOOKS_TOKEN']);

    // WHEN
    openclaw.syncTo({ name: 'openclaw-secrets', namespace: 'openclaw' });
    openclaw.syncTo({ name: 'hooks-token', namespace: 'monitoring', keys: ['HOOKS_TOKEN'], renames: { HOOKS_TOKEN: 'token' } });

    // THEN
    expect(catalog.targetsOf('apps/openclaw').map((t) => [t.namespace, t.secretKeys])).toStrictEqual([
      ['openclaw', ['GATEWAY_TOKEN', 'HOOKS_TOKEN']],
      ['monitoring', ['token']],
    ]);
    expect(catalog.namespaces).toStrictEqual(['monitoring', 'openclaw']);
  });

  test('a target composes one Secret from several paths', () => {
    // GIVEN
    const catalog = new SecretCatalog();
    const db = catalog.path('apps/db', ['user', 'password']);
    const api = catalog.path('apps/api', ['token']);

    // WHEN
    const target = catalog.addTarget({ name: 'app-env', namespace: 'apps', sources: [db.select(), api.select({ renames: { token: 'API_TOKEN' } })] });

    // THEN
    expect(target.paths).toStrictEqual(['apps/db', 'apps/api']);
    expect(target.row).toBe('apps/db + apps/api → app-env in apps');
    expect(target.secretKeys).toStrictEqual(['user', 'password', 'API_TOKEN']);
    expect(catalog.validate()).toStrictEqual([]);
  });

  test('extractAll takes every key of the path without listing them', () => {
    // GIVEN
    const catalog = new SecretCatalog();
    const registry = catalog.path('apps/registry', ['.dockerconfigjson']);

    // WHEN
    const target = catalog.addTarget({ name: 'pull', namespace: 'apps', sources: [registry.extractAll()] });

    // THEN
    expect(target.hasExtract).toBe(true);
    expect(target.sources).toStrictEqual([{ kind: 'extract', path: registry }]);
    expect(target.secretKeys).toStrictEqual(['.dockerconfigjson']);
  });

  test('a template receives one Go template expression per provided key', () => {
    // GIVEN
    const catalog = new SecretCatalog();
    const db = catalog.path('apps/db', ['user', 'password', 'db-name']);

    // WHEN
    const target = db.syncTo({
      name: 'db-url',
      namespace: 'apps',
      template: (v) => ({ DATABASE_URL: `postgres://${v.user}:${v.password}@db:5432/${v['db-name']}` }),
    });

    // THEN
    expect(target.templateData).toStrictEqual({
      DATABASE_URL: 'postgres://{{ .user }}:{{ .password }}@db:5432/{{ index . "db-name" }}',
    });
    expect(target.templateMergePolicy).toBe('Replace');
  });

  test('a target carries its Secret key names in its type', () => {
    // GIVEN
    const catalog = new SecretCatalog();
    const minio = catalog.path('infrastructure/minio', ['rootUser', 'rootPassword']);

    // WHEN
    const all: SyncTarget<'rootUser' | 'rootPassword'> = minio.syncTo({ name: 'a', namespace: 'b' });
    const renamed: SyncTarget<'USER'> = minio.syncTo({ name: 'c', namespace: 'b', keys: ['rootUser'], renames: { rootUser: 'USER' } });
    // @ts-expect-error a renamed key is no longer provided under its Vault name
    const wrong: SyncTarget<'rootUser'> = minio.syncTo({ name: 'd', namespace: 'b', keys: ['rootUser'], renames: { rootUser: 'USER' } });

    // THEN
    expect([all.secretKeys, renamed.secretKeys, wrong.secretKeys]).toStrictEqual([['rootUser', 'rootPassword'], ['USER'], ['USER']]);
  });

  test('undeclared keys are compile errors', () => {
    // GIVEN
    const catalog = new SecretCatalog();
    const minio = catalog.path('infrastructure/minio', ['rootUser', 'rootPassword']);

    // WHEN: each line below must fail to compile (tsc --noEmit runs over test/ in `npm test`)
    // @ts-expect-error 'rootUsr' is not a declared key
    minio.syncTo({ name: 'a', namespace: 'b', keys: ['rootUsr'] });
    // @ts-expect-error renames may only name selected keys
    minio.syncTo({ name: 'c', namespace: 'b', keys: ['rootUser'], renames: { rootPassword: 'x' } });
    // @ts-expect-error the template only sees the keys the sources provide
    minio.syncTo({ name: 'd', namespace: 'b', keys: ['rootUser'], template: (v) => ({ url: v.rootPassword }) });
    // @ts-expect-error after a rename the template sees the new name only
    minio.syncTo({ name: 'e', namespace: 'b', renames: { rootUser: 'USER' }, template: (v) => ({ url: v.rootUser }) });
    catalog.addTarget({
      name: 'f',
      namespace: 'b',
      sources: [minio.select({ keys: ['rootUser'], renames: { rootUser: 'USER' } })],
      template: (v) => ({ url: v.USER }),
    });

    // THEN: and at run time, for JavaScript callers, the same mistakes are catalog errors
    expect(catalog.validate().map((i) => i.message)).toStrictEqual([
      'infrastructure/minio → a in b: keys "rootUsr" is not declared by path "infrastructure/minio" (declared: rootUser, rootPassword)',
      'infrastructure/minio → c in b: renames "rootPassword" names a key not selected from path "infrastructure/minio" (selected: rootUser)',
      'infrastructure/minio → d in b: template "rootPassword" refers to a key no source provides (provided: rootUser)',
      'infrastructure/minio → e in b: template "rootUser" refers to a key no source provides (provided: USER, rootPassword)',
    ]);
  });
});
