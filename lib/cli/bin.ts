#!/usr/bin/env node
// `homelab-secrets <command>`, the package's own bin: the operator CLI over the declaration the
// project names in its package.json (`"homelabSecrets": { "declaration": "dist/declaration.js" }`)
// or in HOMELAB_SECRETS_DECLARATION. The module exports `declaration` (or a default export): a
// Declaration, or a function returning one.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Declaration } from '../catalog';
import { MissingPeerError } from '../synth';
import { EXIT } from './exit-codes';
import { cliMain } from './main';

/** The environment variable that names the declaration module, before package.json is read. */
export const DECLARATION_ENV = 'HOMELAB_SECRETS_DECLARATION';

/** Where the declaration module is: HOMELAB_SECRETS_DECLARATION, else the nearest package.json's `homelabSecrets.declaration`. */
export function findDeclarationModule(cwd: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const fromEnv = env[DECLARATION_ENV];
  if (fromEnv) return resolve(cwd, fromEnv);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const field = (JSON.parse(readFileSync(manifest, 'utf8')) as { homelabSecrets?: { declaration?: unknown } }).homelabSecrets?.declaration;
      if (typeof field === 'string') return resolve(dir, field);
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

/** The command that writes a declaration from existing YAML, and so runs where there is none yet. */
const WRITES_A_DECLARATION = 'import';

function main(): void {
  if (process.argv[2] === WRITES_A_DECLARATION) {
    // No catalog and no settings: the program skips the declaration check for import.
    void cliMain({} as Declaration);
    return;
  }
  const module = findDeclarationModule(process.cwd(), process.env);
  const fail = (message: string): void => {
    process.stderr.write(`homelab-secrets: ${message}\n`);
    process.exitCode = EXIT.usage;
  };
  if (module === undefined) {
    fail(`no declaration to work from: set "homelabSecrets": { "declaration": "<compiled module>" } in package.json, or ${DECLARATION_ENV}`);
    return;
  }
  if (!existsSync(module) && !existsSync(`${module}.js`)) {
    fail(`the declaration module ${module} does not exist: build the project first`);
    return;
  }
  let declaration: Declaration | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    declaration = declarationOf(require(module) as Record<string, unknown>);
  } catch (error) {
    // A declaration module that imports homelab-secrets/tf, in a project without cdktf.
    if (!(error instanceof MissingPeerError)) throw error;
    fail(error.message);
    return;
  }
  if (declaration === undefined) {
    fail(`${module} exports no declaration: export \`declaration\` (a Declaration, or a function returning one)`);
    return;
  }
  void cliMain(declaration);
}

if (require.main === module) main();
