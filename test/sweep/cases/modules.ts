// Declaration modules: ones that throw (at their top level, in the exported function, in a template
// function; Errors and values that are not), that do not exist, are not modules, or export junk, under
// the synth and under the CLI's bin. The user's own exception is exit 1 with its file and line and no
// library stack; a module that is missing or not a module is exit 2 with the fix.
import { type SweepCase, cliCase, onePath, synthCase } from '../case';
import { declarationModule } from '../project';

/** The user's own error, as the synth and the bin report it: its text may name a JavaScript error. */
const THREW = /the declaration threw [^\n]*/;

/** A synth over a decl.js of exactly `text`. */
function synthModule(name: string, what: string, text: string | Buffer, expectation: readonly [number, ...string[]], extra: Partial<SweepCase> = {}): SweepCase {
  return synthCase('module', `synth-${name}`, what, '', expectation, { allowed: [THREW], ...extra, setup: (p) => void p.write('decl.js', text) });
}

/** The CLI's `table` over a decl.js of exactly `text`. */
function cliModule(name: string, what: string, text: string | Buffer, expectation: readonly [number, ...string[]], extra: Partial<SweepCase> = {}): SweepCase {
  return cliCase('module', `cli-${name}`, what, ['table'], expectation, { allowed: [THREW], ...extra, setup: (p) => void p.write('decl.js', text) });
}

const TOP_LEVEL_THROW = "'use strict';\nconst lib = require('./dist/swc/lib/catalog');\nconst paths = {};\nexports.declaration = paths.db.slice();\n";
const FUNCTION_THROWS = declarationModule("  const catalog = new lib.SecretCatalog({ mount: 'kv' });\n  throw new Error('no catalog yet');");
const TEMPLATE_THROWS = declarationModule(onePath(undefined, "{ template: (k) => { throw new RangeError('template for ' + k.user); } }"));

const thrownValue = (expression: string): string => declarationModule(`  throw ${expression};`);

export const MODULE_CASES: readonly SweepCase[] = [
  synthModule('top-level-throw', 'the module throws at its top level (TypeError)', TOP_LEVEL_THROW, [1, 'decl.js:4:', "TypeError: Cannot read properties of undefined (reading 'slice')", 'Nothing was written.']),
  synthModule('function-throws', 'the exported function throws', FUNCTION_THROWS, [1, 'decl.js:7:', 'Error: no catalog yet']),
  synthModule('template-throws', 'a template function throws', TEMPLATE_THROWS, [1, 'decl.js:', 'RangeError: template for {{ .user }}']),
  synthModule('throws-string', 'the function throws a string', thrownValue("'no catalog'"), [1, '"no catalog" (thrown, not an Error)']),
  synthModule('throws-symbol', 'the function throws a Symbol', thrownValue("Symbol('s')"), [1, 'the declaration threw', 'Symbol(s)']),
  synthModule('throws-undefined', 'the function throws undefined', thrownValue('undefined'), [1, 'the declaration threw', 'undefined']),
  synthModule('throws-null-prototype', 'the function throws an object of no prototype', thrownValue("Object.assign(Object.create(null), { why: 'x' })"), [1, 'the declaration threw', 'why']),
  synthModule('throws-hostile-object', 'the function throws an object whose toJSON and toString throw', thrownValue("{ toJSON() { throw new Error('toJSON'); }, toString() { throw new Error('toString'); } }"), [1, 'the declaration threw']),
  synthModule('throws-proxy', 'the function throws a Proxy whose traps throw', thrownValue("new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } })"), [1, 'the declaration threw']),
  // (Node formats an Error's stack through its message: with a getter that throws there is no stack, so no place)
  synthModule('throws-error-message-getter', 'the function throws an Error whose message getter throws', thrownValue("Object.defineProperty(new Error('x'), 'message', { get() { throw new Error('getter'); } })"), [1, 'the declaration threw Error: a getter', 'no place']),
  synthModule('throws-error-without-stack', 'the function throws an Error whose stack was removed', thrownValue("Object.assign(new Error('stackless'), { stack: undefined })"), [1, 'the declaration threw', 'stackless']),
  synthModule('throws-control-characters', 'the function throws an Error whose message holds a terminal escape and a newline', thrownValue("new Error('bad\\u001b[31m red\\nsecond line')"), [1, 'decl.js:', '\\u001b[31m red\\nsecond line']),
  synthModule('syntax-error', 'the module does not parse', "'use strict';\nexports.declaration = () => {;\n", [2, 'decl.js:3', 'Unexpected end of input']),
  synthModule('not-utf8', 'the module is binary, not text', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x0a]), [2, 'decl.js']),
  synthCase('module', 'synth-missing', 'the module the entry imports does not exist', '', [2, 'decl.js', 'does not exist'], { setup: (p) => p.remove('decl.js') }),
  synthModule('exports-nothing', 'the module exports nothing', "'use strict';\n", [1, 'declaration']),
  synthModule('exports-number', 'the module exports 42 as its declaration', "exports.declaration = 42;\n", [1, 'declaration', '42']),
  synthModule('exports-junk-catalog', 'the module exports a declaration whose catalog is a plain object', "exports.declaration = { catalog: { validate() { return 'junk'; } }, settings: {} };\n", [1, 'catalog']),

  cliModule('top-level-throw', 'the module throws at its top level', TOP_LEVEL_THROW, [1, 'decl.js:4:', "TypeError: Cannot read properties of undefined (reading 'slice')"]),
  cliModule('function-throws', 'the exported function throws', FUNCTION_THROWS, [1, 'decl.js:7:', 'Error: no catalog yet']),
  cliModule('template-throws', 'a template function throws', TEMPLATE_THROWS, [1, 'decl.js:', 'RangeError: template for {{ .user }}']),
  cliModule('throws-hostile-object', 'the function throws an object whose toJSON and toString throw', thrownValue("{ toJSON() { throw new Error('toJSON'); }, toString() { throw new Error('toString'); } }"), [1, 'the declaration threw']),
  cliModule('syntax-error', 'the module does not parse', "'use strict';\nexports.declaration = () => {;\n", [2, 'decl.js:3', 'Unexpected end of input']),
  cliModule('exports-nothing', 'the module exports nothing', "'use strict';\n", [2, 'exports no declaration']),
  cliModule('exports-number', 'the module exports 42', 'exports.declaration = 42;\n', [2, 'not one']),
  cliModule('exports-null-function', 'the exported function returns null', 'exports.declaration = () => null;\n', [2, 'decl.js']),
  cliModule('exports-proxy', 'the module exports a Proxy whose traps throw as its declaration', "exports.declaration = new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });\n", [2, 'decl.js']),
  cliModule('exports-fake-catalog', 'the module exports a catalog that is a plain object with a validate function', "exports.declaration = { catalog: { validate() { return []; } }, settings: {} };\n", [2, 'decl.js', 'SecretCatalog']),
  // The catalog's own validator checks it: the replacement is never run.
  cliCase('module', 'cli-catalog-validate-replaced', 'the catalog\'s validate is replaced by one that throws: not run, the catalog is checked by its own', ['table'], 'accepted', {
    setup: (p) => void p.write('decl.js', declarationModule(`${onePath().replace('  return', "  catalog.validate = () => { throw new Error('mine'); };\n  return")}`)),
  }),
  cliCase('module', 'cli-catalog-validate-replaced-invalid', 'an invalid catalog whose validate is replaced by one that says all is well: refused', ['table'], [2, 'apps/db', '"a b"'], {
    setup: (p) => void p.write('decl.js', declarationModule(`${onePath("['a b']").replace('  return', '  catalog.validate = () => [];\n  return')}`)),
  }),
  cliCase('module', 'cli-missing', 'the module package.json names does not exist', ['table'], [2, 'decl.js', 'does not exist'], { setup: (p) => p.remove('decl.js') }),
  cliCase('module', 'cli-folder', 'the module is a folder', ['table'], [2, 'decl.js'], { setup: (p) => { p.remove('decl.js'); p.mkdir('decl.js'); } }),
  cliCase('module', 'cli-env-missing', 'HOMELAB_SECRETS_DECLARATION names a module that does not exist', ['table'], [2, 'nope.js', 'does not exist'], { env: { HOMELAB_SECRETS_DECLARATION: 'nope.js' } }),
  cliCase('module', 'cli-package-json-broken', 'package.json is not JSON', ['table'], [2, 'package.json'], { setup: (p) => { p.write('package.json', '{ "homelabSecrets": { "declaration": "decl.js" }, }\n'); } }),
  cliCase('module', 'cli-package-json-field-junk', 'package.json names the declaration with a number', ['table'], [2, 'declaration'], {
    setup: (p) => {
      p.write('package.json', '{ "homelabSecrets": { "declaration": 42 } }\n');
    },
  }),
  cliCase('module', 'cli-json-module', 'the declaration module is a JSON file', ['table'], [2, 'decl.json'], { env: { HOMELAB_SECRETS_DECLARATION: 'decl.json' }, setup: (p) => void p.write('decl.json', '{ "declaration": { "catalog": {} } }\n') }),
  cliCase('module', 'cli-declaration-getter-throws', 'the module\'s declaration export is a getter that throws', ['table'], [1, 'decl.js', 'getter'], {
    allowed: [THREW],
    setup: (p) => void p.write('decl.js', "Object.defineProperty(exports, 'declaration', { enumerable: true, get() { throw new Error('getter'); } });\n"),
  }),
];
