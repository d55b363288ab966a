// A catalog and settings as an untrusted repository could write them: every name the validator
// accepts, chosen to be shell syntax. The printed-commands scenarios paste what the CLI prints for it
// and require that each program receives exactly these names as its arguments, and that `id` (the
// command the security review got to run) never runs.
import type { PlatformSettings } from '../../../lib/catalog';
import { SecretCatalog, external, generated, validateDeclaration } from '../../../lib/catalog';

/**
 * The mount and the paths have a character set of their own (letters, digits, ".", "_", "-" and "@";
 * the mount lowercase): shell syntax no longer gets this far, and the validator's tests show each
 * character refused. What remains is what the quoting must still get right: names that look like
 * options, dots and "@". Shell syntax still reaches the CLI in {@link HOSTILE_ADDRESS}, the hint and the link.
 */
export const HOSTILE_MOUNT = '_kv.-x';

/** Each is a valid path today; the first declares keys that look like options and dot names. */
export const HOSTILE_PATHS = [
  'apps/-rf', 'apps/@x', 'apps/a.b-c_d@e', 'apps/.hidden', '-tls-skip-verify', '_/x', 'apps/-', 'apps/.x', '-n', 'apps/a.b', 'apps/@', '--/-x',
] as const;
export const HOSTILE_KEYS = ['-n', 'a.b', '--', '_'] as const;

/** Where a person gets a key: shell syntax in the hint and the link, which the CLI prints as prose and comments only. */
export const HOSTILE_HINT = "Console → `id` $(id); it's \"x\" | y && z #";
export const HOSTILE_URL = "https://example.org/$(id)/it's?a=1&b=`id`";

/**
 * The oddest role Vault's own pattern (`^\w([\w.@-]*\w)?$`) allows, which the validator enforces: a
 * line break that would end a comment in `rebuild` and start a command no longer gets this far.
 */
export const HOSTILE_ROLE = '_r.@-x_';

/**
 * A declared identity with odd but valid names: a SecretStore name with dots and a double dash, a
 * ServiceAccount that starts with a digit, a role of only the characters Vault allows besides letters.
 * `rebuild` names its role and store; the last hostile path's Secret reads through it.
 */
export const HOSTILE_IDENTITY = { name: 'odd', store: 'v.a--ult', serviceAccount: '0.sa-x', role: '9@x.y-z_', namespaces: ['ns', 'n-2'] } as const;

/** An external Vault's address: valid by the settings' rule (a host, then a path without whitespace or control characters), and a command line's worst case. */
export const HOSTILE_ADDRESS = "https://v.lan:8200/$(id);x'y`id`!";

/**
 * Every path of {@link HOSTILE_PATHS}: the first with {@link HOSTILE_KEYS} (one generated, one external
 * with the hostile hint and link, two without an origin), the others with one key `k`, generated on
 * every other path and external on the rest, so that seed writes, asks for, and gives advice on names
 * like these. The last path's Secret reads through {@link HOSTILE_IDENTITY}, the others through the
 * cluster's shorthand identity.
 */
export function hostileCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: HOSTILE_MOUNT, eso: { role: HOSTILE_ROLE } });
  const odd = catalog.identity(HOSTILE_IDENTITY.name, {
    store: { kind: 'SecretStore', name: HOSTILE_IDENTITY.store, namespaces: HOSTILE_IDENTITY.namespaces },
    serviceAccount: { name: HOSTILE_IDENTITY.serviceAccount },
    role: HOSTILE_IDENTITY.role,
  });
  HOSTILE_PATHS.forEach((path, index) => {
    const origins = index === 0
      ? { '-n': generated({ length: 8 }), 'a.b': external({ hint: HOSTILE_HINT, url: HOSTILE_URL }) }
      : { k: index % 2 === 0 ? generated({ length: 8 }) : external({ hint: HOSTILE_HINT }) };
    const identity = index === HOSTILE_PATHS.length - 1 ? { identity: odd } : {};
    catalog.path(path, index === 0 ? [...HOSTILE_KEYS] : ['k'], { origins }).syncTo({ name: `t${index}`, namespace: 'ns', ...identity });
  });
  return catalog;
}

/** The hostile paths with a generated key: seed writes into these, or advises on them when deleted. */
export const HOSTILE_GENERATED_PATHS = HOSTILE_PATHS.filter((_, index) => index % 2 === 0);

/** Vault outside the cluster at {@link HOSTILE_ADDRESS}. */
export const HOSTILE_SETTINGS: PlatformSettings = { vault: { address: HOSTILE_ADDRESS }, components: { vault: false } };

/** Throws unless the validator accepts the declaration: the point is what it lets through. */
export function assertAccepted(): void {
  const issues = validateDeclaration({ catalog: hostileCatalog(), settings: HOSTILE_SETTINGS });
  if (issues.length > 0) throw new Error(`the hostile declaration is refused, so it proves nothing: ${issues.map((i) => i.message).join('; ')}`);
}
