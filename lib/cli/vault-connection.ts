// How the CLI reaches Vault itself (check, seed): the address, the operator's own token and the CA,
// read from the environment and files the vault CLI reads, and one small HTTP transport that trusts
// exactly that CA. Nothing here is a value of a secret; the token is sent as a header and never printed.
import { X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { showValue } from '../catalog';
import { causeOf, errnoOf } from '../synth';
import { CliError } from './context';
import { readFileUpTo } from './read-file';

/** One setting of the vault CLI and its OpenBao twin: the VAULT_* name is read first, then the BAO_* one. */
export const VAULT_ENV = {
  addr: ['VAULT_ADDR', 'BAO_ADDR'],
  token: ['VAULT_TOKEN', 'BAO_TOKEN'],
  namespace: ['VAULT_NAMESPACE', 'BAO_NAMESPACE'],
  caCert: ['VAULT_CACERT', 'BAO_CACERT'],
  caPath: ['VAULT_CAPATH', 'BAO_CAPATH'],
  skipVerify: ['VAULT_SKIP_VERIFY', 'BAO_SKIP_VERIFY'],
} as const;

/** The file the vault (and bao) CLI's default token helper keeps the token of `vault login` in, under HOME. */
export const TOKEN_HELPER_FILE = '.vault-token';

/** The most bytes of VAULT_CACERT read (a CA bundle is a few KiB, the system's a few hundred), and of the token helper file. */
const MAX_CA_FILE_BYTES = 1024 * 1024;
const MAX_TOKEN_FILE_BYTES = 64 * 1024;

/** The largest answer the CLI reads from Vault; more is not an answer of the KV API. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** The help lines that say where the commands that talk to Vault take their settings from. */
export const VAULT_SETTINGS_HELP: readonly string[] = [
  'Vault settings, read as the vault CLI reads them (OpenBao\'s BAO_* names work too):',
  '  VAULT_ADDR; VAULT_TOKEN, else the token `vault login` keeps in ~/.vault-token; VAULT_NAMESPACE;',
  '  VAULT_CACERT: the CA certificate file trusted, and nothing else (no system roots); unset: the system roots.',
];

/** What the CLI talks to Vault with. */
export interface VaultConnection {
  /** VAULT_ADDR without trailing slashes. */
  readonly addr: string;
  readonly token: string;
  /** Where the token was found: `VAULT_TOKEN`, `BAO_TOKEN` or the token helper file's path. */
  readonly tokenSource: string;
  /** Vault Enterprise namespace (X-Vault-Namespace). */
  readonly namespace?: string;
  /** The CA file trusted, and nothing else, when one is set. */
  readonly caFile?: string;
  /** Makes the requests: the context's own fetch (tests), else {@link vaultFetch} over the CA. */
  readonly fetch: typeof fetch;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The first non-empty of a setting's names: its value and the name it came from. */
function setting(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** A header value Vault can take: printable ASCII without spaces. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

/** Go's strconv.ParseBool, as the vault CLI reads VAULT_SKIP_VERIFY. */
function truthy(value: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

/** The PEM certificates of a CA file, checked to parse; a CliError naming the variable and file otherwise. */
export function readCaFile(variable: string, file: string): string {
  let pem: string;
  try {
    const bytes = readFileUpTo(file, MAX_CA_FILE_BYTES);
    if (bytes.length > MAX_CA_FILE_BYTES) throw new CliError(`${variable} ${showValue(file)} holds more than 1 MiB: give the file of Vault's CA certificate, a few KiB`);
    pem = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${variable} ${showValue(file)} cannot be read: ${readFailure(error)}`);
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new CliError(`${variable} ${showValue(file)} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): give the CA certificate of Vault's TLS certificate`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new CliError(`${variable} ${showValue(file)} holds a certificate that does not parse: ${(error as Error).message}`);
    }
  }
  return blocks.join('\n') + '\n';
}

/** Why a file could not be read, without repeating its name (Node's message quotes it raw): `no such file or folder (ENOENT)`. */
function readFailure(error: unknown): string {
  const code = errnoOf(error);
  return code === undefined ? String((error as Error)?.message) : causeOf(code);
}

/** The token of `vault login` in HOME's token helper file, or undefined when there is none. */
function tokenHelperToken(env: Env): { token: string; file: string } | undefined {
  if (!env.HOME) return undefined;
  const file = join(env.HOME, TOKEN_HELPER_FILE);
  let text: string;
  try {
    const bytes = readFileUpTo(file, MAX_TOKEN_FILE_BYTES);
    if (bytes.length > MAX_TOKEN_FILE_BYTES) throw new CliError(`the token helper file ${showValue(file)} holds more than 64 KiB, which no Vault token is: log in again with \`vault login\``);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`the token helper file ${showValue(file)} cannot be read: ${readFailure(error)}`);
  }
  const token = text.trim();
  return token === '' ? undefined : { token, file };
}

/**
 * The connection the operator's environment describes, as the vault CLI reads it: VAULT_ADDR,
 * VAULT_TOKEN (else the token `vault login` left in ~/.vault-token), VAULT_NAMESPACE and VAULT_CACERT,
 * each with its BAO_* twin. `needs` says what the token must be allowed, for the message when there is none.
 * Throws a CliError (exit 2) naming the variable that is missing or wrong; never one naming a token.
 */
export function vaultConnection(env: Env, needs: string, fetchOverride?: typeof fetch): VaultConnection {
  const addrSetting = setting(env, VAULT_ENV.addr);
  if (!addrSetting) throw new CliError('VAULT_ADDR is not set: export the address of Vault, e.g. VAULT_ADDR=https://127.0.0.1:8200');
  let url: URL | undefined;
  try {
    url = new URL(addrSetting.value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CliError(`${addrSetting.name} ${showValue(addrSetting.value)} must be an http:// or https:// URL`);
  }
  // A user and password in the address would go to Vault (and any proxy) with every request, and into
  // every message that names the address: refused, and not repeated.
  if (url.username !== '' || url.password !== '') {
    const shown = new URL(url.href);
    shown.username = '';
    shown.password = '';
    throw new CliError(`${addrSetting.name} holds a user name or password (${shown.protocol}//…@${shown.host}): Vault takes a token, not these; remove them from the address`);
  }
  const skip = setting(env, VAULT_ENV.skipVerify);
  if (skip && truthy(skip.value)) {
    throw new CliError(`${skip.name} is set: homelab-secrets always verifies Vault's certificate; set VAULT_CACERT to the file of its CA certificate instead`);
  }
  const caCert = setting(env, VAULT_ENV.caCert);
  const caPath = setting(env, VAULT_ENV.caPath);
  if (!caCert && caPath) throw new CliError(`${caPath.name} (a folder of CA certificates) is not supported: set VAULT_CACERT to the file of Vault's CA certificate`);

  const fromEnv = setting(env, VAULT_ENV.token);
  const helper = fromEnv ? undefined : tokenHelperToken(env);
  const token = fromEnv?.value ?? helper?.token;
  const tokenSource = fromEnv?.name ?? helper?.file ?? '';
  if (token === undefined) {
    const file = env.HOME ? join(env.HOME, TOKEN_HELPER_FILE) : `~/${TOKEN_HELPER_FILE}`;
    throw new CliError(`no Vault token: VAULT_TOKEN is not set and ${file} does not exist; log in with \`vault login\` (it writes that file) or export VAULT_TOKEN, a token with ${needs}`);
  }
  if (!HEADER_TOKEN.test(token)) throw new CliError(`the token in ${tokenSource} holds characters no Vault token has (spaces or control characters)`);
  const namespace = setting(env, VAULT_ENV.namespace);
  if (namespace && !HEADER_TOKEN.test(namespace.value)) throw new CliError(`${namespace.name} ${showValue(namespace.value)} must be a namespace path without spaces or control characters`);

  const ca = caCert ? readCaFile(caCert.name, caCert.value) : undefined;
  return {
    addr: addrSetting.value.replace(/\/+$/, ''),
    token,
    tokenSource,
    namespace: namespace?.value,
    caFile: caCert?.value,
    fetch: fetchOverride ?? vaultFetch(ca),
  };
}

/** Raised like fetch's own network errors: a TypeError whose cause says why. */
function fetchFailed(cause: Error): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause });
}

/**
 * A `fetch` for Vault's HTTP API over node:http(s). With `ca` it trusts exactly those certificates:
 * no system roots, and not NODE_EXTRA_CA_CERTS either (Node's own fetch cannot be told so). Without, the
 * system roots. It follows no redirect (a token is never sent on to another address) and reads at most
 * {@link MAX_ANSWER_BYTES}.
 */
export function vaultFetch(ca?: string): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const signal = init.signal ?? undefined;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const fail = (error: Error): void => reject(signal?.aborted ? signal.reason : fetchFailed(error));
      const req = request(url, { method: init.method ?? 'GET', headers, signal, ...(ca === undefined ? {} : { ca }) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            res.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 599) {
            fail(new Error(`an HTTP status ${status} no Vault sends`));
            return;
          }
          const location = res.headers.location;
          const text = Buffer.concat(chunks).toString('utf8');
          // A redirect is not followed: say where to, so the operator can point VAULT_ADDR there.
          const shown = status >= 300 && status < 400 && location ? JSON.stringify({ errors: [`redirected to ${location}`] }) : text;
          resolve(new Response([204, 304].includes(status) ? null : shown, { status }));
        });
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end(body);
    });
  }) as typeof fetch;
}
