import { homelabCatalog } from '../../apps/homelab';
import { EXIT } from '../../lib/cli';
import { harness } from './support/cli-harness';

describe('new', () => {
  test('prints the vault kv put with every declared key as a placeholder', async () => {
    // GIVEN
    const h = harness({ catalog: homelabCatalog() });

    // WHEN
    const code = await h.cli('new', 'apps/openclaw');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe('vault kv put homelab/apps/openclaw OPENCLAW_GATEWAY_TOKEN=<...> OPENCLAW_HOOKS_TOKEN=<...> ANTHROPIC_API_KEY=<...>\n');
    expect(h.stderr()).toBe('# vault kv put replaces every key at homelab/apps/openclaw: use it for a new path; change keys later with: homelab-secrets rotate apps/openclaw <key>...\n');
    expect(h.runs).toStrictEqual([]);
  });

  test('an unknown path is refused with the declared ones', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('new', 'apps/vpm');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stdout()).toBe('');
    expect(h.stderr()).toBe('homelab-secrets: unknown path "apps/vpm": the catalog declares apps/vpn, apps/chat\n');
  });

  test('a path with the mount in front is refused with the spelling to use', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('new', 'homelab/apps/vpn');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: unknown path "homelab/apps/vpn": paths are relative to the mount "homelab", write "apps/vpn"\n');
  });
});
