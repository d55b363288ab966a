// Imported by `homelab-secrets import` from 4 ExternalSecrets (repo/a\n*\/ require("child_process").execSync("id") /*\u2028.yaml).
// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies
// (`homelab-secrets import --verify` compares them).
import type { Declaration, PlatformSettings } from 'homelab-secrets';
import { SecretCatalog } from 'homelab-secrets';

/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */
export function importedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv', eso: { storeName: 'vault', role: 'r' } });

  // --- n ----------------------------------------------------------------------------------------
  const evalPath = catalog.path('apps/eval', ['user']);
  const otherEval = catalog.path('other/eval', ['password']);
  catalog.addTarget({
    name: 'a',
    namespace: 'n',
    sources: [evalPath.select({ renames: { user: 'constructor' } }), otherEval.select({ renames: { password: '__proto__' } })],
  });
  const argumentsPath = catalog.path('x/arguments', ['k']);
  const letPath = catalog.path('y/let', ['k']);
  catalog.addTarget({ name: 'b', namespace: 'n', sources: [argumentsPath.select(), letPath.select({ renames: { k: 'k2' } })] });
  const staticPath = catalog.path('z/static', ['k']);
  const implementsPath = catalog.path('implements', ['k']);
  const awaitPath = catalog.path('await', ['k']);
  const yieldPath = catalog.path('yield', ['k']);
  const catalogPath = catalog.path('catalog', ['k']);
  const vPath = catalog.path('v', ['k']);
  catalog.addTarget({
    name: 'c',
    namespace: 'n',
    sources: [staticPath.select(), implementsPath.select({ renames: { k: 'k2' } }), awaitPath.select({ renames: { k: 'k3' } }), yieldPath.select({ renames: { k: 'k4' } }), catalogPath.select({ renames: { k: 'k5' } }), vPath.select({ renames: { k: 'k6' } })],
  });
  catalog.addTarget({
    name: 'd',
    namespace: 'n',
    template: (v) => ({
      toString: '*/ ' + v.constructor + ' // \u2028 \r\n \u202e end',
      config: `line one */
user = ${v.k}
\`\${HOME}\`
`,
    }),
    sources: [evalPath.select({ renames: { user: 'constructor' } }), argumentsPath.select()],
  });

  return catalog;
}

/**
 * Where Vault is and how the manifests are applied, read from the store. Add the rest
 * (kms, the Vault install's storage, argocd, terraform) as docs/library.md describes.
 */
export const IMPORTED_SETTINGS: PlatformSettings = {
  gitops: 'plain',
  vault: { tls: { disabled: true } },
};

/** The imported declaration: what the synth entry points and the CLI work from. */
export function importedDeclaration(): Declaration {
  return { catalog: importedCatalog(), settings: IMPORTED_SETTINGS };
}
