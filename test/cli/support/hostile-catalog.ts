// A catalog and settings as an untrusted repository could write them: every name the validator
// accepts, chosen to be shell syntax. The printed-commands scenarios paste what the CLI prints for it
// and require that each program receives exactly these names as its arguments, and that `id` (the
// command the security review got to run) never runs.
import type { PlatformSettings } from '../../../lib/catalog';
import { SecretCatalog, validateDeclaration } from '../../../lib/catalog';

/** Quotes, command substitution, separators, globs, comments, history, a tilde, `=`, and a terminal escape. */
export const HOSTILE_MOUNT = "kv'$(id)`id`;id|&<>?*[a]!~#=%\u001b[2J";

/** Each is a valid path today; the first declares keys that look like options and dot names. */
export const HOSTILE_PATHS = [
  'apps/$(id)', 'apps/`id`', 'apps/a;id&b|c', "apps/it's", '-tls-skip-verify', '~root/x', 'apps/?', 'apps/#x', '=id', 'apps/{a,b}', 'apps/!!', 'apps/a>b<c',
] as const;
export const HOSTILE_KEYS = ['-n', 'a.b', '..', '_'] as const;

/** A role whose line break would end a comment in `rebuild` and start a command. */
export const HOSTILE_ROLE = 'role\nid;x';

/** An external Vault's address: valid by the settings' rule (no whitespace), and a command line's worst case. */
export const HOSTILE_ADDRESS = "https://v$(id);x'y\u001b!";

export function hostileCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: HOSTILE_MOUNT, eso: { role: HOSTILE_ROLE } });
  HOSTILE_PATHS.forEach((path, index) => {
    catalog.path(path, index === 0 ? [...HOSTILE_KEYS] : ['k']).syncTo({ name: `t${index}`, namespace: 'ns' });
  });
  return catalog;
}

/** Vault outside the cluster at {@link HOSTILE_ADDRESS}. */
export const HOSTILE_SETTINGS: PlatformSettings = { vault: { address: HOSTILE_ADDRESS }, components: { vault: false } };

/** Throws unless the validator accepts the declaration: the point is what it lets through. */
export function assertAccepted(): void {
  const issues = validateDeclaration({ catalog: hostileCatalog(), settings: HOSTILE_SETTINGS });
  if (issues.length > 0) throw new Error(`the hostile declaration is refused, so it proves nothing: ${issues.map((i) => i.message).join('; ')}`);
}
