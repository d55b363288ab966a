import { homelabCatalog } from '../../apps/homelab';
import { EXIT } from '../../lib/cli';
import { harness } from './support/cli-harness';

describe('new', () => {
  test('prints the vault kv put that reads every declared key at a hidden prompt and takes them as JSON on stdin', async () => {
    // GIVEN
    const h = harness({ catalog: homelabCatalog() });

    // WHEN
    const code = await h.cli('new', 'apps/openclaw');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(
      "( for k in OPENCLAW_GATEWAY_TOKEN OPENCLAW_HOOKS_TOKEN ANTHROPIC_API_KEY; do printf '%s: ' \"$k\" >&2; IFS= read -rs v; echo >&2; printf '%s\\n' \"$v\"; done )"
      + ' | jq -Rn \'{"OPENCLAW_GATEWAY_TOKEN": input, "OPENCLAW_HOOKS_TOKEN": input, "ANTHROPIC_API_KEY": input}'
      + ' | if any(.[]; index("\\ufffd") != null) then error("a value is not UTF-8 text; nothing was sent to vault") else . end\''
      + ' | vault kv put -mount=homelab apps/openclaw -\n');
    expect(h.stderr()).toBe([
      '# it prompts for OPENCLAW_GATEWAY_TOKEN, OPENCLAW_HOOKS_TOKEN, ANTHROPIC_API_KEY without echo (bash or zsh), one line each; the values reach vault as JSON on stdin, never as arguments',
      '# a value of several lines: this opens $EDITOR on {"OPENCLAW_GATEWAY_TOKEN": "...", "OPENCLAW_HOOKS_TOKEN": "...", "ANTHROPIC_API_KEY": "..."} in a private temp folder (mktemp -d), sends the file when the editor exits, and removes the folder, also on failure',
      '#   ( umask 077 && d=$(mktemp -d) && trap \'rm -rf -- "$d"\' EXIT HUP INT TERM && f=$d/apps-openclaw.json'
        + ' && printf \'%s\\n\' \'{"OPENCLAW_GATEWAY_TOKEN": "...", "OPENCLAW_HOOKS_TOKEN": "...", "ANTHROPIC_API_KEY": "..."}\' > "$f"'
        + ' && ${VISUAL:-${EDITOR:-vi}} "$f"'
        + ' && jq \'if any(.. | strings; index("\\ufffd") != null) then error("a value is not UTF-8 text; nothing was sent to vault") else . end\' < "$f" > /dev/null'
        + ' && vault kv put -mount=homelab apps/openclaw - < "$f" )',
      '# vault kv put replaces every key at homelab/apps/openclaw: use it for a new path; change keys later with: homelab-secrets rotate apps/openclaw <key>...',
      '',
    ].join('\n'));
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
