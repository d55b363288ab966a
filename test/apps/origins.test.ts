import { homelabCatalog } from '../../apps/homelab';
import { generatedShape } from '../../lib/catalog';

describe('where the homelab\'s values come from', () => {
  const catalog = homelabCatalog();

  test('every key of every row declares an origin', () => {
    const keys = catalog.targets.flatMap((t) => t.sources.flatMap((s) => (s.kind === 'keys' ? s.keys : s.path.keys).map((k) => [s.path, k] as const)));
    expect(keys).toHaveLength(27);
    expect(keys.filter(([path, key]) => path.originOf(key) === undefined).map(([path, key]) => `${path.path}#${key}`)).toStrictEqual([]);
  });

  test('the random strings the homelab made up are generated, with their exact shape; everything else is external', () => {
    const generated = catalog.paths.flatMap((path) => path.keys.flatMap((key) => {
      const origin = path.originOf(key);
      return origin?.kind === 'generated' ? [[`${path.path}#${key}`, generatedShape(origin).length, generatedShape(origin).alphabet.length]] : [];
    }));
    expect(generated).toStrictEqual([
      ['infrastructure/minio#rootPassword', 32, 62],
      ['infrastructure/authentik#AUTHENTIK_SECRET_KEY', 80, 65],
      ['infrastructure/authentik#AUTHENTIK_POSTGRESQL__PASSWORD', 32, 62],
      ['infrastructure/grafana#admin-password', 32, 62],
      ['apps/openclaw#OPENCLAW_GATEWAY_TOKEN', 64, 16],
      ['apps/openclaw#OPENCLAW_HOOKS_TOKEN', 64, 16],
    ]);
    const external = catalog.paths.flatMap((path) => path.keys.filter((key) => path.originOf(key)?.kind === 'external').map((key) => `${path.path}#${key}`));
    expect(external).toHaveLength(20);
    expect(external).toContain('infrastructure/minio#rootUser');
    expect(external).toContain('infrastructure/grafana#admin-user');
  });

  test('every external key says where to get it', () => {
    const hints = catalog.paths.flatMap((path) => path.keys.map((key) => path.originOf(key)).flatMap((o) => (o?.kind === 'external' ? [o.hint] : [])));
    expect(hints).toContain('Authentik → Applications → Providers → Argo CD → Edit → Client Secret');
    expect(hints).toContain('Sonarr → Settings → General → Security → API Key');
    expect(catalog.validate()).toStrictEqual([]);
  });
});
