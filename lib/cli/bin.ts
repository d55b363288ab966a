#!/usr/bin/env node
// `homelab-secrets <command>`, the package's own bin: the operator CLI over the declaration the
// project names in its package.json (`"homelabSecrets": { "declaration": "dist/declaration.js" }`)
// or in HOMELAB_SECRETS_DECLARATION. The module exports `declaration` (or a default export): a
// Declaration, or a function returning one.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Declaration, classNameOf, isProxy, isSecretCatalog, showText, showValue } from '../catalog';
import { MissingPeerError, causeOf, describeDeclarationError, describeModuleFailure, errnoOf, formatLocation, userCodeLocation } from '../synth';
import { CliError } from './context';
import { EXIT } from './exit-codes';
import { cliMain } from './main';
import { printableLines } from './shell';

/** The environment variable that names the declaration module, before package.json is read. */
export const DECLARATION_ENV = 'HOMELAB_SECRETS_DECLARATION';

/**
 * Where the declaration module is: HOMELAB_SECRETS_DECLARATION, else the nearest package.json's
 * `homelabSecrets.declaration`. A package.json on the way that cannot be read or is not JSON is a
 * CliError (exit 2) naming it; one that names the declaration with something other than a string too.
 */
export function findDeclarationModule(cwd: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const fromEnv = env[DECLARATION_ENV];
  if (fromEnv) return resolve(cwd, fromEnv);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(manifest, 'utf8'));
      } catch (error) {
        const code = errnoOf(error);
        // (V8's JSON error quotes the text; the file is named instead)
        const why = code !== undefined ? causeOf(code) : showText(String((error as Error).message).replace(/, "[\s\S]*"(?:\.\.\.)? is not valid JSON$/, ''));
        throw new CliError(`${showValue(manifest)} cannot be read as JSON (${why}): fix it, or name the declaration module with ${DECLARATION_ENV}`);
      }
      const settings = typeof parsed === 'object' && parsed !== null ? (parsed as { homelabSecrets?: unknown }).homelabSecrets : undefined;
      const field = typeof settings === 'object' && settings !== null ? (settings as { declaration?: unknown }).declaration : undefined;
      if (typeof field === 'string') return resolve(dir, field);
      if (field !== undefined) throw new CliError(`${showValue(manifest)} names the declaration module with ${showValue(field)}: "homelabSecrets": { "declaration": "<compiled module>" } takes a path`);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The declaration a module exports as `declaration` or `default`, called if it is a function. */
export function declarationOf(loaded: Record<string, unknown>): Declaration | undefined {
  const exported = loaded.declaration ?? loaded.default;
  const value = typeof exported === 'function' ? (exported as () => unknown)() : exported;
  return value as Declaration | undefined;
}

/**
 * Whether `value` is a declaration: an object (no Proxy, whose traps would run) whose own `catalog` is a
 * SecretCatalog of this library. Read without running a getter.
 */
function isDeclaration(value: unknown): value is Declaration {
  if (typeof value !== 'object' || value === null || isProxy(value)) return false;
  const catalog = Object.getOwnPropertyDescriptor(value, 'catalog');
  return catalog !== undefined && 'value' in catalog && isSecretCatalog(catalog.value);
}

/** What a `declaration` export that is not one holds instead, for its message. */
function notADeclaration(value: unknown): string {
  if (typeof value !== 'object' || value === null || isProxy(value)) return `it is ${showValue(value)}`;
  const catalog = Object.getOwnPropertyDescriptor(value, 'catalog');
  if (catalog === undefined) return 'it has no catalog';
  if (!('value' in catalog)) return 'its catalog is a getter';
  const found = catalog.value;
  if (typeof found === 'object' && found !== null && !isProxy(found) && classNameOf(found) === 'SecretCatalog') {
    return 'its catalog is a SecretCatalog of another copy of homelab-secrets (npm ls homelab-secrets)';
  }
  return `its catalog is ${showValue(found)}`;
}

/** The command that writes a declaration from existing YAML, and so runs where there is none yet. */
const WRITES_A_DECLARATION = 'import';

/** Why a declaration module could not be used: the exit code and the one line that says so. */
export interface DeclarationFailure {
  readonly exitCode: number;
  readonly message: string;
}

/** `file:line` and the message of a SyntaxError, from V8's stack (`/path/decl.js:3\n  code\n  ^\n\nSyntaxError: ...`). */
function syntaxErrorOf(error: SyntaxError): string {
  const at = /^(.+?):(\d+)\n/.exec(error.stack ?? '');
  return at ? `${formatLocation({ file: at[1], line: Number(at[2]), column: 1 }).replace(/:1$/, '')}: ${error.message}` : error.message;
}

/**
 * Loads the declaration module: the declaration, or why not. An exception its own code throws (at its
 * top level, or in the exported function) is the declaration's error, reported with its file and
 * line (exit 1); a module that is missing, does not parse, exports no declaration or imports a peer
 * dependency the project has not installed (MissingPeerError's one line) is exit 2, with the fix.
 */
export function loadDeclaration(module: string, load: (module: string) => unknown = require): Declaration | DeclarationFailure {
  const usage = (message: string): DeclarationFailure => ({ exitCode: EXIT.usage, message });
  if (!existsSync(module) && !existsSync(`${module}.js`)) return usage(`the declaration module ${module} does not exist: build the project first`);
  let loaded: Record<string, unknown>;
  try {
    loaded = load(module) as Record<string, unknown>;
  } catch (error) {
    // (what the module threw may be a Proxy: no instanceof before isProxy)
    // A declaration module that imports homelab-secrets/tf, in a project without cdktf: the one line.
    if (!isProxy(error) && error instanceof MissingPeerError) return usage(error.message);
    if (!isProxy(error) && error instanceof SyntaxError && userCodeLocation(error) === undefined) {
      return usage(`the declaration module ${module} is not a module JavaScript can load (${syntaxErrorOf(error)}): fix it, and build the project again`);
    }
    // A module it imports that does not parse or does not exist: the build's mistake, named.
    const notLoaded = describeModuleFailure(error);
    if (notLoaded !== undefined) return usage(notLoaded);
    const thrown = describeDeclarationError(error);
    if (thrown !== undefined) return { exitCode: EXIT.failed, message: thrown };
    const why = !isProxy(error) && error instanceof Error ? showText(String(error.message).split('\n')[0]) : showValue(error);
    return usage(`the declaration module ${module} cannot be loaded (${why}): fix it, and build the project again`);
  }
  if (typeof loaded !== 'object' || loaded === null) return usage(`${module} exports no declaration: export \`declaration\` (a Declaration, or a function returning one)`);
  let declaration: unknown;
  try {
    declaration = declarationOf(loaded);
  } catch (error) {
    if (!isProxy(error) && error instanceof MissingPeerError) return usage(error.message);
    const thrown = describeDeclarationError(error);
    if (thrown !== undefined) return { exitCode: EXIT.failed, message: thrown };
    throw error;
  }
  if (declaration === undefined) return usage(`${module} exports no declaration: export \`declaration\` (a Declaration, or a function returning one)`);
  if (!isDeclaration(declaration)) {
    return usage(`${module} exports a \`declaration\` that is not one (${notADeclaration(declaration)}): it must be { catalog, settings } with a SecretCatalog (or a function returning that)`);
  }
  return declaration;
}

function main(): void {
  if (process.argv[2] === WRITES_A_DECLARATION) {
    // No catalog and no settings: the program skips the declaration check for import.
    void cliMain({} as Declaration);
    return;
  }
  let module: string | undefined;
  try {
    module = findDeclarationModule(process.cwd(), process.env);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`homelab-secrets: ${printableLines(error.message)}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  if (module === undefined) {
    process.stderr.write(`homelab-secrets: no declaration to work from: set "homelabSecrets": { "declaration": "<compiled module>" } in package.json, or ${DECLARATION_ENV}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  const declaration = loadDeclaration(module);
  if ('exitCode' in declaration) {
    process.stderr.write(`homelab-secrets: ${printableLines(declaration.message)}\n`);
    process.exitCode = declaration.exitCode;
    return;
  }
  void cliMain(declaration);
}

if (require.main === module) main();
