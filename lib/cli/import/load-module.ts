// `--verify` loads the module the import wrote, rather than trusting that it says what the plan says:
// a name the generator got wrong (a reserved word, a broken string, a comment that ends early) makes
// the module fail to load, and the round trip says so. The CLI runs in the user's project, where
// TypeScript is usually installed but is no dependency of this package: the project's own compiler,
// when it has one, transpiles the exact text written; otherwise the generator's JavaScript twin of it
// is loaded, which is the same text line for line but for the import, export and type lines (none of
// which holds anything from the input).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import type { Declaration } from '../../catalog';
import { PACKAGE_NAME } from './generate';

/** The part of the `typescript` package the loader uses. */
export interface TypeScriptCompiler {
  readonly version: string;
  transpileModule(input: string, options: {
    compilerOptions?: Record<string, unknown>;
    fileName?: string;
    reportDiagnostics?: boolean;
  }): { outputText: string; diagnostics?: readonly TypeScriptDiagnostic[] };
  flattenDiagnosticMessageText(message: unknown, newLine: string): string;
  readonly ModuleKind: { readonly CommonJS: number };
  readonly ScriptTarget: { readonly ES2020: number };
}

interface TypeScriptDiagnostic {
  readonly messageText: unknown;
  readonly start?: number;
  readonly file?: { getLineAndCharacterOfPosition(position: number): { line: number; character: number } };
}

/** The `typescript` the project in `cwd` installs, or undefined. */
export function projectTypeScript(cwd: string): TypeScriptCompiler | undefined {
  try {
    const ts = createRequire(join(cwd, 'package.json'))('typescript') as Partial<TypeScriptCompiler>;
    return typeof ts.transpileModule === 'function' && typeof ts.version === 'string' ? ts as TypeScriptCompiler : undefined;
  } catch {
    return undefined;
  }
}

/** How the module is loaded: the text written, through this compiler; or its JavaScript twin. */
export type ModuleSource =
  | { readonly typescript: string; readonly compiler: TypeScriptCompiler }
  | { readonly javascript: string };

/** The loaded module's declaration, or why it does not load. */
export type LoadedModule = { readonly declaration: Declaration; readonly loadedWith: string } | { readonly error: string; readonly loadedWith: string };

/** The shape every generated module exports. */
interface GeneratedExports {
  readonly importedDeclaration?: unknown;
}

/**
 * Loads the generated module as its user would: compiled (or its twin), run in strict mode with
 * `homelab-secrets` resolving to this package, then `importedDeclaration()` called. Every failure (a
 * syntax error, an exception while it runs, a missing export) is an error naming the line where it
 * has one; nothing is thrown.
 */
export async function loadGeneratedModule(source: ModuleSource, fileName: string): Promise<LoadedModule> {
  let javascript: string;
  let loadedWith: string;
  if ('typescript' in source) {
    const ts = source.compiler;
    loadedWith = `compiled with TypeScript ${ts.version}`;
    try {
      const out = ts.transpileModule(source.typescript, {
        fileName,
        reportDiagnostics: true,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, strict: true, alwaysStrict: true, sourceMap: false },
      });
      const first = out.diagnostics?.[0];
      if (first) {
        const at = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
        return { loadedWith, error: `${at ? `line ${at.line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(first.messageText, ' ')}` };
      }
      javascript = out.outputText;
    } catch (error) {
      return { loadedWith, error: describe(error) };
    }
  } else {
    javascript = source.javascript;
    loadedWith = 'as its JavaScript twin (no TypeScript compiler in this project)';
  }
  const library = await import('../../index');
  const module = { exports: {} as GeneratedExports };
  const requireLibrary = (id: string): unknown => {
    if (id === PACKAGE_NAME) return library;
    throw new Error(`the module requires ${JSON.stringify(id)}: a generated module imports only from ${PACKAGE_NAME}`);
  };
  try {
    const run = compileFunction(javascript, ['exports', 'require', 'module'], { filename: fileName });
    run(module.exports, requireLibrary, module);
  } catch (error) {
    return { loadedWith, error: describe(error, fileName) };
  }
  const declare = module.exports.importedDeclaration;
  if (typeof declare !== 'function') return { loadedWith, error: 'it does not export importedDeclaration()' };
  try {
    return { loadedWith, declaration: (declare as () => Declaration)() };
  } catch (error) {
    return { loadedWith, error: `importedDeclaration() throws: ${describe(error, fileName)}` };
  }
}

/** `SyntaxError: Unexpected eval or arguments in strict mode (line 12)`: the error, and the module's line where the stack names it. */
function describe(thrown: unknown, fileName?: string): string {
  // Not `instanceof Error`: an error made in another realm (vm, jest's environment) is an Error too.
  if (typeof thrown !== 'object' || thrown === null || typeof (thrown as Error).message !== 'string') return String(thrown);
  const error = thrown as Error;
  const line = fileName === undefined ? undefined : new RegExp(`${fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(error.stack ?? '')?.[1];
  return `${error.name}: ${error.message}${line !== undefined ? ` (line ${line})` : ''}`;
}
