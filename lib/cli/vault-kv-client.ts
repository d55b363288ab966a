/** Why a Vault request gave no usable answer. */
export type VaultFailureKind = 'unreachable' | 'denied' | 'no-mount' | 'unexpected';

/** A Vault request that failed; the message names the address and endpoint, never the token or a value. */
export class VaultRequestError extends Error {
  constructor(public readonly kind: VaultFailureKind, message: string) {
    super(message);
    this.name = 'VaultRequestError';
  }
}

/** How long one request may take before Vault counts as unreachable. */
export const VAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Vault's answer to a request for a route no mount handles. */
const NO_HANDLER = /no handler for route/i;

/** Properties for `VaultKvClient`. */
export interface VaultKvClientProps {
  /** Vault's address, as in VAULT_ADDR (`https://vault.example:8200`). */
  readonly addr: string;
  /** A Vault token, sent as X-Vault-Token. */
  readonly token: string;
  /** The KV v2 mount, without slashes. */
  readonly mount: string;
  /** Vault Enterprise namespace, sent as X-Vault-Namespace. @default - none */
  readonly namespace?: string;
  /** The fetch implementation. @default - the global fetch */
  readonly fetch?: typeof fetch;
  /** Per-request timeout in milliseconds. @default 10000, ten seconds */
  readonly timeoutMs?: number;
}

interface VaultAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** Each segment URL-encoded, the slashes kept. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Vault's `errors`, one line: "1 error occurred:\n\t* permission denied\n\n" reads "permission denied". */
function vaultErrors(body: unknown): string {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return '';
  return errors
    .flatMap((error) => String(error).replace(/^\d+ errors? occurred:/, '').split(/\n\s*\*\s*/))
    .map((error) => error.replace(/\s+/g, ' ').trim())
    .filter((error) => error !== '')
    .join('; ');
}

/** Why fetch threw. Duck-typed: under jest (and any vm context) fetch's errors come from another realm's Error. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
  if (name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * Reads the shape of a KV v2 mount through Vault's HTTP API: which paths exist and which keys they
 * hold. Values are parsed only to take their keys and are dropped at once; nothing here returns one.
 */
export class VaultKvClient {
  public readonly addr: string;
  public readonly mount: string;
  private readonly token: string;
  private readonly namespace?: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(props: VaultKvClientProps) {
    this.addr = props.addr.replace(/\/+$/, '');
    this.mount = props.mount;
    this.token = props.token;
    this.namespace = props.namespace;
    this.fetchFn = props.fetch ?? globalThis.fetch;
    this.timeoutMs = props.timeoutMs ?? VAULT_REQUEST_TIMEOUT_MS;
  }

  /** The key names at `path` (`GET /v1/<mount>/data/<path>`), or undefined when there is no current version. */
  public async keysOf(path: string): Promise<string[] | undefined> {
    const answer = await this.request('GET', `${this.mount}/data/${encodePath(path)}`);
    if (answer.status === 404) return undefined;
    const data = (answer.body as { data?: { data?: Record<string, unknown> | null } } | undefined)?.data?.data;
    return data ? Object.keys(data) : undefined;
  }

  /** Every path under `prefix` (`LIST /v1/<mount>/metadata/<prefix>`, recursively), sorted. */
  public async listPaths(prefix = ''): Promise<string[]> {
    const answer = await this.request('LIST', `${this.mount}/metadata/${encodePath(prefix)}`);
    if (answer.status === 404) return [];
    const keys = (answer.body as { data?: { keys?: unknown } } | undefined)?.data?.keys;
    if (!Array.isArray(keys)) {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} answered LIST /v1/${this.mount}/metadata/${prefix} without data.keys`);
    }
    const paths: string[] = [];
    for (const key of keys.map(String)) {
      if (key.endsWith('/')) paths.push(...(await this.listPaths(prefix + key)));
      else paths.push(prefix + key);
    }
    return paths.sort();
  }

  private async request(method: 'GET' | 'LIST', apiPath: string): Promise<VaultAnswer> {
    const endpoint = `${method} /v1/${apiPath}`;
    let response: Response;
    try {
      response = await this.fetchFn(`${this.addr}/v1/${apiPath}`, {
        method,
        headers: { 'X-Vault-Token': this.token, ...(this.namespace ? { 'X-Vault-Namespace': this.namespace } : {}) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new VaultRequestError('unreachable', `Vault at ${this.addr} is unreachable: ${describeFetchError(error, this.timeoutMs)}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} answered ${endpoint} with ${response.status} and a body that is not JSON`);
    }
    const errors = vaultErrors(body);
    if (response.status === 403) {
      throw new VaultRequestError('denied',
        `Vault at ${this.addr} denied ${endpoint} (403${errors ? ` ${errors}` : ''}): the token needs "read" on ${this.mount}/data/* and "list" on ${this.mount}/metadata/*`);
    }
    if (response.status === 404 && NO_HANDLER.test(errors)) {
      throw new VaultRequestError('no-mount', `Vault at ${this.addr} has no secrets engine at "${this.mount}/" (${endpoint}: ${errors})`);
    }
    if (response.status === 404) return { status: 404 };
    if (!response.ok) {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} answered ${endpoint} with ${response.status}${errors ? `: ${errors}` : ''}`);
    }
    return { status: response.status, body };
  }
}
