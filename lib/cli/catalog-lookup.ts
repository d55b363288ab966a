import { type SecretCatalog, type SyncTarget, type VaultPath, showValue } from '../catalog';
import { CliError } from './context';

/** `"a", "b"`: each as messages show a value (escaped, on one line, a long one cut). */
export function quoteList(items: readonly string[]): string {
  return items.map(showValue).join(', ');
}

/**
 * The declared path named `input`, or a CliError naming the input. A path written with the mount
 * (`<mount>/apps/db`) is refused with the spelling to use, as the catalog itself refuses it.
 */
export function declaredPath(catalog: SecretCatalog, input: string): VaultPath {
  const found = catalog.paths.find((p) => p.path === input);
  if (found) return found;
  const prefix = `${catalog.mount}/`;
  if (input.startsWith(prefix) && catalog.pathNames.includes(input.slice(prefix.length))) {
    throw new CliError(`unknown path ${showValue(input)}: paths are relative to the mount "${catalog.mount}", write ${showValue(input.slice(prefix.length))}`);
  }
  throw new CliError(`unknown path ${showValue(input)}: the catalog declares ${catalog.pathNames.join(', ')}`);
}

/** Refuses keys that `path` does not declare, and keys named twice. */
export function assertDeclaredKeys(path: VaultPath, keys: readonly string[]): void {
  const declared = new Set<string>(path.keys);
  const undeclared = [...new Set(keys.filter((key) => !declared.has(key)))];
  if (undeclared.length > 0) {
    const subject = undeclared.length === 1 ? `key ${quoteList(undeclared)} is` : `keys ${quoteList(undeclared)} are`;
    throw new CliError(`${subject} not declared by path "${path.path}" (declared: ${path.keys.join(', ')}); nothing was changed`);
  }
  const twice = [...new Set(keys.filter((key, index) => keys.indexOf(key) !== index))];
  if (twice.length > 0) {
    throw new CliError(`key ${quoteList(twice)} is named more than once; nothing was changed`);
  }
}

/**
 * The targets `input` names: the targets a declared path feeds, and the targets whose ExternalSecret
 * or Secret has that name, in any namespace.
 */
export function matchingTargets(catalog: SecretCatalog, input: string): SyncTarget[] {
  const byPath = catalog.targetsOf(input);
  const byName = catalog.targets.filter((t) => (t.externalSecretName === input || t.name === input) && !byPath.includes(t));
  const matched = [...byPath, ...byName];
  if (matched.length === 0) {
    const prefix = `${catalog.mount}/`;
    if (input.startsWith(prefix) && catalog.pathNames.includes(input.slice(prefix.length))) {
      throw new CliError(`no ExternalSecret matches ${showValue(input)}: paths are relative to the mount "${catalog.mount}", write ${showValue(input.slice(prefix.length))}`);
    }
    const names = [...new Set(catalog.targets.flatMap((t) => (t.renamesExternalSecret ? [t.externalSecretName, t.name] : [t.name])))];
    const operatorOnly = catalog.operatorPaths.find((p) => p.path === input);
    if (operatorOnly) {
      throw new CliError(`no ExternalSecret reads ${showValue(input)}: it is declared as read by operators and other tools only`);
    }
    throw new CliError(`no ExternalSecret matches ${showValue(input)}: give a declared path (${catalog.esoPathNames.join(', ')}) or an ExternalSecret or Secret name (${names.join(', ')})`);
  }
  return matched;
}
