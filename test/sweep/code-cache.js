// A V8 code cache for the sweep's processes, preloaded with `--import` (NODE_OPTIONS, set by
// project.ts's cleanEnv; `--require` would be resolved from the process's folder, and Node stops at
// once where a case left a package.json that is not JSON): the sweep starts some 500 Node processes,
// each loading the same 650 modules of the library, cdk8s and cdktf, and compiling them costs each a
// tenth of its CPU or more (the whole sweep used 10% less CPU with this cache). Node 20
// has no compile cache of its own (module.enableCompileCache is Node 22), so this one compiles the
// library's modules (under dist/swc/) and its dependencies' (under node_modules/) through vm.Script
// with V8's cached data, kept in HOMELAB_SWEEP_CODE_CACHE, one file per module source (named by its
// SHA-256: V8 itself checks only the source's length). Everything else, a case's own declaration
// module above all, loads through Node's own loader, untouched; so does a module that uses import(),
// whose loading vm.Script would change. The code run is the same: only its compiled form is kept.
// A process writes what it compiled without a cache when it exits (an entry written to a temporary
// file, then renamed: a killed process leaves no half entry); one that cannot write carries on.
'use strict';
const Module = require('node:module');
const vm = require('node:vm');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const dir = process.env.HOMELAB_SWEEP_CODE_CACHE;
const CACHED = /[/\\](node_modules|dist[/\\]swc)[/\\]/;
const DYNAMIC_IMPORT = /\bimport\s*\(/;

if (dir) {
  const compile = Module.prototype._compile;
  const unsaved = [];
  /** Node's own require function for `module` (lib/internal/modules/helpers makeRequireFunction). */
  const requireFor = (module) => {
    const require = (id) => module.require(id);
    const resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    resolve.paths = (request) => Module._resolveLookupPaths(request, module);
    require.resolve = resolve;
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return require;
  };
  Module.prototype._compile = function cachedCompile(content, filename) {
    if (!CACHED.test(filename) || DYNAMIC_IMPORT.test(content)) return compile.call(this, content, filename);
    const file = join(dir, createHash('sha256').update(content).digest('hex'));
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      // not cached yet
    }
    // A hashbang line is legal only at the very start of a script, where Node's loader takes it;
    // inside the wrapper it becomes a comment of the same length, so every position stays.
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    const script = new vm.Script(Module.wrap(source), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) unsaved.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename));
  };
  // At exit the scripts hold what ran of them compiled too, not only their top level.
  process.once('exit', () => {
    if (unsaved.length === 0) return;
    try {
      mkdirSync(dir, { recursive: true });
      for (const { script, file } of unsaved) {
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, file);
      }
    } catch {
      // a read-only or full file system: the next process compiles again
    }
  });
}
