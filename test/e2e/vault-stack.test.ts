import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOMELAB_SETTINGS, homelabCatalog } from '../../apps/homelab';
import type { SecretCatalog } from '../../lib/catalog';
import { renderOperatorLoginCommand, renderOperatorUserCommand } from '../../lib/tf/operator-login-names';
import { BaoDevServer, fetchTrusting, makeCa, startBaoDevServer, vaultApi } from './support/bao-dev-server';
import { engines } from './support/engines';
import { forEachOutput, synthesizedOutput, vaultStackOf } from './support/outputs';
import { applyWithVaultApi, policyRules, synthVaultStack, terraform, tokenAsRole, tokenWith } from './support/vault-stack';

type Applier = (dir: string, json: any, server: BaoDevServer) => Promise<void>;

const applyWithTerraform: Applier = async (dir, _json, server) => {
  const init = terraform(dir, ['init', '-input=false', '-no-color'], server);
  if (init.status !== 0) throw new Error(`init failed:\n${init.output}`);
  const apply = terraform(dir, ['apply', '-input=false', '-auto-approve', '-no-color'], server);
  if (apply.status !== 0) throw new Error(`apply failed:\n${apply.output}`);
};

const { vaultProvider, tfBin, tfError } = engines();
if (!vaultProvider.available) {
  // Reported, not hidden: the Terraform path of this suite needs the provider in the mirror.
  process.stderr.write(`terraform-provider-vault is not installed, so the Terraform CLI suite is skipped: ${vaultProvider.error}\n`);
} else if (!tfBin) {
  process.stderr.write(`the Terraform-compatible CLI is not installed, so the Terraform CLI suite is skipped: ${tfError}\n`);
}

const APPLIERS: [string, Applier, boolean][] = [
  ['the Terraform-compatible CLI with terraform-provider-vault', applyWithTerraform, vaultProvider.available && tfBin !== undefined],
  ['the Vault HTTP API calls the provider makes', (_dir, json, server) => applyWithVaultApi(json, server), true],
];

/** The operator the e2e logs in as, with a password made for this run (never printed). */
const OPERATOR = 'e2e-operator';

/**
 * Every path ESO must not read although a widened policy would let it: an undeclared sibling under
 * every prefix of a declared path (and at the top of the mount), every parent, the mount's data root,
 * each declared path with a suffix (`apps/vpn2`) and with a child (`apps/vpn/x`), and each declared
 * path's last segment under every other prefix, an undeclared one and none (`apps/minio`,
 * `e2e-other/minio`, `minio`): what a glob such as `+/minio` would let through.
 */
export function undeclaredNeighbours(catalog: SecretCatalog): string[] {
  const declared = new Set(catalog.pathNames);
  const prefixes = new Set<string>(['']);
  for (const path of catalog.pathNames) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) prefixes.add(segments.slice(0, i).join('/'));
  }
  const under = (prefix: string, leaf: string): string => (prefix ? `${prefix}/${leaf}` : leaf);
  const leaves = catalog.pathNames.map((path) => path.split('/').pop()!);
  const candidates = [
    ...[...prefixes].map((prefix) => under(prefix, 'e2e-undeclared')),
    ...[...prefixes].filter((prefix) => prefix !== ''),
    ...catalog.pathNames.flatMap((path) => [`${path}2`, `${path}/x`]),
    ...[...prefixes, 'e2e-other'].flatMap((prefix) => leaves.map((leaf) => under(prefix, leaf))),
  ];
  return [...new Set(candidates)].filter((path) => !declared.has(path)).sort();
}

/** The ESO policy a catalog's paths call for: read on each, its own token's lookup and revocation, nothing else. */
function expectedEsoRules(catalog: SecretCatalog): Record<string, string[]> {
  return {
    'auth/token/lookup-self': ['read'],
    'auth/token/revoke-self': ['update'],
    ...Object.fromEntries(catalog.pathNames.map((path) => [`${catalog.mount}/data/${path}`, ['read']])),
  };
}

/** Placeholder content for a declared path: key → "placeholder-<key>". Not secret, never printed. */
function placeholders(keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, `placeholder-${k}`]));
}

describe.each(APPLIERS)('the vault stack applied by %s', (_name, apply, available) => {
  const suite = available ? describe : describe.skip;

  suite('on a real OpenBao dev server', () => {
    forEachOutput((root) => {
      let server: BaoDevServer;
      let work: string;
      let catalog: SecretCatalog;
      let stack: { dir: string; json: any };
      let esoToken: string;
      let operatorToken: string;
      let operatorHome: string;
      const operatorPassword = `e2e-${Math.random().toString(36).slice(2)}-password`;

      const bao = (token: string, args: string[]): { status: number; output: string } => {
        try {
          const output = execFileSync(engines().baoBin, args, {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, ...server.cliEnv, BAO_TOKEN: token, VAULT_TOKEN: token },
          });
          return { status: 0, output };
        } catch (error: any) {
          return { status: error.status ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
        }
      };
      const read = async (token: string, path: string) => vaultApi(server.addr, token, 'GET', `${catalog.mount}/data/${path}`);
      const policyNames = (): { eso: string; operator: string } => ({
        eso: stack.json.resource.vault_policy.eso_read_policy.name,
        operator: stack.json.resource.vault_policy.operator_policy.name,
      });

      beforeAll(async () => {
        server = await startBaoDevServer();
        work = mkdtempSync(join(tmpdir(), 'homelab-secrets-e2e-'));
        catalog = homelabCatalog();
        stack = vaultStackOf(synthesizedOutput('homelab', work, root).terraformDir);
        await apply(stack.dir, stack.json, server);
        for (const path of catalog.paths) {
          const { status } = await vaultApi(server.addr, server.rootToken, 'POST', `${catalog.mount}/data/${path.path}`, { data: placeholders(path.keys) });
          expect(status).toBe(200);
        }
        esoToken = await tokenAsRole(server, stack.json, 'kubernetes_auth_role');
        operatorToken = await operatorLogin();
      });

      /**
       * The operator's login as `rebuild` prints it: the bootstrap command, run with the root token,
       * creates the user with the password read on stdin; then `vault login -method=userpass` (through a
       * terminal, as it insists on one) stores the operator's token in the token helper.
       */
      async function operatorLogin(): Promise<string> {
        const bin = mkdtempSync(join(tmpdir(), 'homelab-secrets-e2e-bin-'));
        symlinkSync(engines().baoBin, join(bin, 'vault'));
        operatorHome = mkdtempSync(join(tmpdir(), 'homelab-secrets-e2e-home-'));
        const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: operatorHome, USER: OPERATOR, ...server.cliEnv };
        const create = spawnSync('bash', ['-c', renderOperatorUserCommand(catalog.mount)], { env: { ...env, BAO_TOKEN: server.rootToken }, input: `${operatorPassword}\n`, encoding: 'utf8' });
        expect([create.status, create.stdout.trim()]).toStrictEqual([0, `Success! Data written to: auth/userpass/users/${OPERATOR}`]);
        const login = spawnSync('script', ['-qec', renderOperatorLoginCommand(), '/dev/null'], { env, input: `${operatorPassword}\n`, encoding: 'utf8' });
        expect(login.status).toBe(0);
        rmSync(bin, { recursive: true, force: true });
        return readFileSync(join(operatorHome, '.vault-token'), 'utf8').trim();
      }

      afterAll(async () => {
        await server?.stop();
        if (work) rmSync(work, { recursive: true, force: true });
        if (operatorHome) rmSync(operatorHome, { recursive: true, force: true });
      });

      if (apply === applyWithTerraform) {
        test('a second plan shows no changes', () => {
          const plan = terraform(stack.dir, ['plan', '-input=false', '-detailed-exitcode', '-no-color'], server);
          expect([plan.status, plan.status === 0 ? '' : plan.output]).toStrictEqual([0, '']);
        });
      }

      test('the mount is KV v2', async () => {
        const { body } = await vaultApi(server.addr, server.rootToken, 'GET', 'sys/mounts');
        expect([body[`${catalog.mount}/`].type, body[`${catalog.mount}/`].options]).toStrictEqual(['kv', { version: '2' }]);
        const config = await vaultApi(server.addr, server.rootToken, 'GET', `${catalog.mount}/config`);
        expect(config.body.data.max_versions).toBe(10);
      });

      test('the Kubernetes auth role binds the catalog\'s service account, namespace and audience', async () => {
        const { body: auths } = await vaultApi(server.addr, server.rootToken, 'GET', 'sys/auth');
        expect(auths[`${catalog.eso.authMountPath}/`].type).toBe('kubernetes');
        const { status, body } = await vaultApi(server.addr, server.rootToken, 'GET', `auth/${catalog.eso.authMountPath}/role/${catalog.eso.role}`);
        expect(status).toBe(200);
        expect({
          bound_service_account_names: body.data.bound_service_account_names,
          bound_service_account_namespaces: body.data.bound_service_account_namespaces,
          audience: body.data.audience,
          token_policies: body.data.token_policies,
        }).toStrictEqual({
          bound_service_account_names: ['external-secrets'],
          bound_service_account_namespaces: ['external-secrets'],
          audience: 'vault',
          token_policies: ['homelab-eso-read'],
        });
      });

      test('both policies exist', async () => {
        for (const name of [policyNames().eso, policyNames().operator]) {
          const { status } = await vaultApi(server.addr, server.rootToken, 'GET', `sys/policies/acl/${name}`);
          expect([name, status]).toStrictEqual([name, 200]);
        }
      });

      test('the policies read back from OpenBao grant exactly what the catalog calls for: no glob, no other mount, no other capability', async () => {
        const read = async (name: string) => policyRules((await vaultApi(server.addr, server.rootToken, 'GET', `sys/policies/acl/${name}`)).body.data.policy);
        expect(await read('homelab-eso-read')).toStrictEqual(expectedEsoRules(catalog));
        expect(await read('homelab-operator')).toStrictEqual({
          'homelab/data/*': ['create', 'read', 'update', 'patch'],
          'homelab/metadata/*': ['read', 'list'],
        });
      });

      test('OpenBao itself computes ESO\'s capabilities: read on each declared path, nothing on any neighbour or its other paths', async () => {
        const neighbours = undeclaredNeighbours(catalog);
        const paths = [...catalog.pathNames, ...neighbours].map((p) => `${catalog.mount}/data/${p}`);
        const others = [`${catalog.mount}/metadata/apps/vpn`, `${catalog.mount}/config`, 'elsewhere/data/apps/vpn', 'cubbyhole/x', 'sys/capabilities-self', 'auth/token/renew-self'];
        const { status, body } = await vaultApi(server.addr, server.rootToken, 'POST', 'sys/capabilities', { token: esoToken, paths: [...paths, ...others] });
        expect(status).toBe(200);
        const declared = new Set(catalog.pathNames.map((p) => `${catalog.mount}/data/${p}`));
        expect(Object.fromEntries([...paths, ...others].map((p) => [p, body[p]]))).toStrictEqual(
          Object.fromEntries([...paths, ...others].map((p) => [p, declared.has(p) ? ['read'] : ['deny']])));
      });

      test('ESO\'s token has exactly its read policy, no default policy: what the default grants is denied', async () => {
        const { status, body } = await vaultApi(server.addr, esoToken, 'GET', 'auth/token/lookup-self');
        expect([status, body.data.policies]).toStrictEqual([200, [policyNames().eso]]);
        const attempts: [string, string, unknown?][] = [
          ['POST', 'sys/capabilities-self', { paths: [`${catalog.mount}/data/apps/vpn`] }],
          ['POST', 'cubbyhole/e2e', { k: 'placeholder' }],
          ['POST', 'auth/token/renew-self', {}],
          ['POST', 'sys/wrapping/wrap', { k: 'placeholder' }],
          ['POST', 'sys/tools/hash', { input: 'eA==' }],
        ];
        for (const [method, path, payload] of attempts) {
          const answer = await vaultApi(server.addr, esoToken, method, path, payload);
          expect([method, path, answer.status]).toStrictEqual([method, path, 403]);
        }
      });

      test('ESO\'s token reads every declared path', async () => {
        for (const path of catalog.pathNames) {
          const { status, body } = await read(esoToken, path);
          expect([path, status]).toStrictEqual([path, 200]);
          expect(Object.keys(body.data.data).sort()).toStrictEqual([...catalog.paths.find((p) => p.path === path)!.keys].sort());
        }
      });

      test('ESO\'s token is denied every undeclared neighbour of a declared path: siblings, parents, suffixes, children', async () => {
        // GIVEN each of them holds data, so that a widened policy would answer 200, not 404
        const neighbours = undeclaredNeighbours(catalog);
        for (const path of neighbours) {
          const { status } = await vaultApi(server.addr, server.rootToken, 'POST', `${catalog.mount}/data/${path}`, { data: { k: 'placeholder' } });
          expect([path, status]).toStrictEqual([path, 200]);
        }
        expect(neighbours).toEqual(expect.arrayContaining(['apps/e2e-undeclared', 'infrastructure/e2e-undeclared', 'e2e-undeclared', 'apps', 'infrastructure', 'apps/vpn2', 'apps/vpn/x',
          'apps/minio', 'e2e-other/minio', 'minio', 'infrastructure/vpn']));

        // WHEN ESO's token reads them, THEN each is denied; the data root too
        for (const path of [...neighbours, '']) {
          const { status } = await read(esoToken, path);
          expect([path, status]).toStrictEqual([path, 403]);
        }
      });

      test('ESO\'s token is denied metadata, listing and every write', async () => {
        const attempts: [string, string, unknown?][] = [
          ['GET', `${catalog.mount}/metadata/apps/vpn`],
          ['GET', `${catalog.mount}/metadata/infrastructure/minio`],
          ['LIST', `${catalog.mount}/metadata/apps`],
          ['LIST', `${catalog.mount}/metadata/infrastructure`],
          ['LIST', `${catalog.mount}/metadata/`],
          ['LIST', `${catalog.mount}/data/apps`],
          ['GET', `${catalog.mount}/config`],
          ['POST', `${catalog.mount}/data/apps/vpn`, { data: { OPENVPN_USER: 'x' } }],
          ['PATCH', `${catalog.mount}/data/apps/vpn`, { data: { OPENVPN_USER: 'x' } }],
          ['POST', `${catalog.mount}/data/apps/new`, { data: { k: 'x' } }],
          ['DELETE', `${catalog.mount}/data/apps/vpn`],
          ['DELETE', `${catalog.mount}/metadata/apps/vpn`],
          ['POST', `${catalog.mount}/delete/apps/vpn`, { versions: [1] }],
          ['POST', `${catalog.mount}/undelete/apps/vpn`, { versions: [1] }],
          ['POST', `${catalog.mount}/destroy/apps/vpn`, { versions: [1] }],
          ['POST', `${catalog.mount}/metadata/apps/vpn`, { max_versions: 1 }],
        ];
        for (const [method, path, body] of attempts) {
          const { status } = await vaultApi(server.addr, esoToken, method, path, body);
          expect([method, path, status]).toStrictEqual([method, path, 403]);
        }
      });

      test('ESO\'s reads go over TLS and trust exactly the server\'s CA', async () => {
        // GIVEN clients that trust the test CA, another CA, and only the system roots
        const other = mkdtempSync(join(tmpdir(), 'homelab-secrets-e2e-ca-'));
        const otherCa = readFileSync(makeCa(other, 'other').caFile, 'utf8');
        rmSync(other, { recursive: true, force: true });
        const url = `${server.addr}/v1/${catalog.mount}/data/apps/vpn`;
        const headers = { 'X-Vault-Token': esoToken };

        // WHEN / THEN only the first connects
        expect(server.addr.startsWith('https://127.0.0.1:')).toBe(true);
        expect((await fetchTrusting(server.caCert)(url, { headers })).status).toBe(200);
        for (const ca of [otherCa, undefined]) {
          const error = await fetchTrusting(ca)(url, { headers }).then(() => undefined, (e: any) => e.cause?.code);
          expect(error).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
        }
      });

      test('the Kubernetes auth config is applied exactly as synthesized, relying on the pod\'s CA file', async () => {
        // GIVEN the synthesized config: no CA of its own (the production setting)
        const synthesized = Object.values(stack.json.resource.vault_kubernetes_auth_backend_config)[0] as Record<string, unknown>;
        expect(Object.keys(synthesized).filter((k) => k !== '//').sort()).toStrictEqual(['backend', 'kubernetes_host']);

        // THEN the server holds exactly it
        const { status, body } = await vaultApi(server.addr, server.rootToken, 'GET', `auth/${catalog.eso.authMountPath}/config`);
        expect(status).toBe(200);
        expect({ host: body.data.kubernetes_host, ca: body.data.kubernetes_ca_cert, local: body.data.disable_local_ca_jwt, keys: body.data.pem_keys })
          .toStrictEqual({ host: synthesized.kubernetes_host, ca: '', local: false, keys: [] });
      });

      test('the operator\'s kv patch changes one key and keeps the others', () => {
        const patch = bao(operatorToken, ['kv', 'patch', `-mount=${catalog.mount}`, 'apps/vpn', 'OPENVPN_PASSWORD=placeholder-rotated']);
        expect(patch.status).toBe(0);
        const get = bao(operatorToken, ['kv', 'get', '-format=json', `-mount=${catalog.mount}`, 'apps/vpn']);
        expect(get.status).toBe(0);
        expect(JSON.parse(get.output).data.data).toStrictEqual({ OPENVPN_USER: 'placeholder-OPENVPN_USER', OPENVPN_PASSWORD: 'placeholder-rotated' });
      });

      test('the operator\'s kv put, list and metadata get work on the mount; metadata delete (every version, for good) is denied', () => {
        expect(bao(operatorToken, ['kv', 'put', `-mount=${catalog.mount}`, 'apps/scratch', 'a=placeholder']).status).toBe(0);
        const list = bao(operatorToken, ['kv', 'list', '-format=json', `-mount=${catalog.mount}`, 'apps']);
        expect(list.status).toBe(0);
        expect(JSON.parse(list.output)).toContain('scratch');
        expect(bao(operatorToken, ['kv', 'metadata', 'get', `-mount=${catalog.mount}`, 'apps/scratch']).status).toBe(0);
        const destroy = bao(operatorToken, ['kv', 'metadata', 'delete', `-mount=${catalog.mount}`, 'apps/scratch']);
        expect([destroy.status, destroy.output.includes('Code: 403')]).toStrictEqual([2, true]);
        expect(JSON.parse(bao(operatorToken, ['kv', 'get', '-format=json', `-mount=${catalog.mount}`, 'apps/scratch']).output).data.data).toStrictEqual({ a: 'placeholder' });
      });

      test('the operator\'s login is a userpass token with the operator policy, short-lived', async () => {
        const { status, body } = await vaultApi(server.addr, operatorToken, 'GET', 'auth/token/lookup-self');
        expect(status).toBe(200);
        expect({ path: body.data.path, policies: body.data.policies, ttl: body.data.creation_ttl, name: body.data.meta.username }).toStrictEqual({
          path: `auth/userpass/login/${OPERATOR}`,
          policies: ['default', policyNames().operator],
          ttl: 3600,
          name: OPERATOR,
        });
      });

      test('the operator is denied sys/ and everything outside the mount', async () => {
        const attempts: [string, string, unknown?][] = [
          ['GET', 'sys/mounts'],
          ['GET', 'sys/auth'],
          ['POST', 'sys/auth/approle', { type: 'approle' }],
          ['GET', `sys/policies/acl/${policyNames().eso}`],
          ['PUT', `sys/policies/acl/${policyNames().operator}`, { policy: 'path "*" { capabilities = ["sudo"] }' }],
          ['POST', `sys/mounts/${catalog.mount}/tune`, { max_lease_ttl: '1h' }],
          ['POST', 'auth/token/create', { policies: ['root'] }],
          ['POST', `auth/userpass/users/${OPERATOR}`, { token_policies: 'root' }],
          ['GET', `auth/${catalog.eso.authMountPath}/role/${catalog.eso.role}`],
          ['POST', `auth/${catalog.eso.authMountPath}/role/${catalog.eso.role}`, { token_policies: 'root' }],
        ];
        for (const [method, path, body] of attempts) {
          const { status } = await vaultApi(server.addr, operatorToken, method, path, body);
          expect([method, path, status]).toStrictEqual([method, path, 403]);
        }
      });

      test('the operator is denied outside the mount', async () => {
        await vaultApi(server.addr, server.rootToken, 'POST', 'sys/mounts/elsewhere', { type: 'kv', options: { version: '2' } });
        const put = bao(operatorToken, ['kv', 'put', '-mount=elsewhere', 'x', 'a=placeholder']);
        expect(put.status).not.toBe(0);
        expect(put.output).toContain('Code: 403');
        const attempts: [string, string, unknown?][] = [
          ['POST', 'elsewhere/data/x', { data: { a: 'placeholder' } }],
          ['GET', 'elsewhere/data/x'],
          ['LIST', 'sys/policies/acl'],
          ['POST', 'sys/mounts/another', { type: 'kv' }],
        ];
        for (const [method, path, body] of attempts) {
          const { status } = await vaultApi(server.addr, operatorToken, method, path, body);
          expect([method, path, status]).toStrictEqual([method, path, 403]);
        }
      });

      test('a path added to the catalog becomes readable after apply, and a removed one is revoked', async () => {
        // GIVEN a catalog with one more path
        const extended = homelabCatalog();
        extended.path('apps/e2e-extra', ['token']).syncTo({ name: 'e2e-extra', namespace: 'arr' });
        await vaultApi(server.addr, server.rootToken, 'POST', `${catalog.mount}/data/apps/e2e-extra`, { data: { token: 'placeholder' } });
        expect((await read(esoToken, 'apps/e2e-extra')).status).toBe(403);

        // WHEN it is applied, THEN the same ESO token reads it
        const added = synthVaultStack(extended, join(work, 'cdktf.out'));
        await apply(added.dir, added.json, server);
        expect((await read(esoToken, 'apps/e2e-extra')).status).toBe(200);

        // WHEN the original catalog is applied again, THEN the read is revoked
        const removed = synthVaultStack(homelabCatalog(), join(work, 'cdktf.out'));
        await apply(removed.dir, removed.json, server);
        expect((await read(esoToken, 'apps/e2e-extra')).status).toBe(403);
        expect((await read(esoToken, 'apps/vpn')).status).toBe(200);
      });
    });
  });
});

describe('with settings.vault.operatorCanDestroy, on a real OpenBao', () => {
  let server: BaoDevServer;
  let work: string;
  beforeAll(async () => {
    server = await startBaoDevServer();
    work = mkdtempSync(join(tmpdir(), 'homelab-secrets-e2e-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the operator\'s metadata delete removes a path with every version', async () => {
    // GIVEN the homelab with the opt-in, applied, and a path with two versions
    const settings = { ...HOMELAB_SETTINGS, vault: { ...HOMELAB_SETTINGS.vault, operatorCanDestroy: true } };
    const { json } = synthVaultStack(homelabCatalog(), join(work, 'cdktf.out'), settings);
    await applyWithVaultApi(json, server);
    const { body } = await vaultApi(server.addr, server.rootToken, 'GET', 'sys/policies/acl/homelab-operator');
    expect(policyRules(body.data.policy)).toStrictEqual({ 'homelab/data/*': ['create', 'read', 'update', 'patch'], 'homelab/metadata/*': ['read', 'delete', 'list'] });
    const operator = await tokenWith(server, ['homelab-operator']);
    for (const version of ['1', '2']) {
      expect((await vaultApi(server.addr, operator, 'POST', 'homelab/data/apps/scratch', { data: { a: `placeholder-${version}` } })).status).toBe(200);
    }

    // WHEN the operator deletes its metadata
    const destroyed = await vaultApi(server.addr, operator, 'DELETE', 'homelab/metadata/apps/scratch');

    // THEN it is gone, every version of it
    expect(destroyed.status).toBe(204);
    expect((await vaultApi(server.addr, operator, 'GET', 'homelab/metadata/apps/scratch')).status).toBe(404);
    for (const version of [1, 2]) {
      expect([version, (await vaultApi(server.addr, server.rootToken, 'GET', `homelab/data/apps/scratch?version=${version}`)).status]).toStrictEqual([version, 404]);
    }
  });
});

describe('the same Kubernetes auth config on a server without the pod CA file', () => {
  let server: BaoDevServer;
  let work: string;
  beforeAll(async () => {
    server = await startBaoDevServer({ podCa: false });
    work = mkdtempSync(join(tmpdir(), 'homelab-secrets-e2e-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('is refused, naming the file: what the pod CA in the test server stands for', async () => {
    const stack = synthVaultStack(homelabCatalog(), join(work, 'cdktf.out'));
    await expect(applyWithVaultApi(stack.json, server)).rejects.toThrow(
      'POST auth/kubernetes/config: 400 ["open /var/run/secrets/kubernetes.io/serviceaccount/ca.crt: no such file or directory"]');
  });
});
