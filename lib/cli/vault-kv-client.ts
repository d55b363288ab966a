import { printable } from './shell';

/** Why a Vault request gave no usable answer; `conflict`: a check-and-set write found another version than it was given. */
export type VaultFailureKind = 'unreachable' | 'denied' | 'no-mount' | 'conflict' | 'unexpected';

/**
 * A Vault request that failed; the message names the address and endpoint, never the token or a value.
 * What Vault said and the paths it listed are input like any other: the message is made printable
 * (one line, escapes shown as such) here, once, for every command that prints it.
 */
export class VaultRequestError extends Error {
  constructor(public readonly kind: VaultFailureKind, message: string) {
    super(printable(message));
    this.name = 'VaultRequestError';
  }
}

/** The most levels of folders `listPaths` descends, and the most paths it collects: a Vault that lists a folder in every folder is not listed forever. */
export const LIST_LIMITS = { depth: 64, paths: 100_000 } as const;

/** How long one request may take before Vault counts as unreachable. */
export const VAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Vault's answer to a request for a route no mount handles. */
const NO_HANDLER = /no handler for route/i;

/** KV v2's answer to a write whose `options.cas` is not the current version. */
const CAS_MISMATCH = /check-and-set parameter did not match the current version/i;

/** What a path holds now, by key name only: never a value. */
export type PathState =
  /** No version at all (or none left: `vault kv metadata delete`). */
  | { readonly kind: 'absent' }
  /** A current version and the keys it holds. */
  | { readonly kind: 'present'; readonly version: number; readonly keys: readonly string[] }
  /** The current version is deleted (`vault kv delete`) or destroyed: its keys are not readable. */
  | { readonly kind: 'deleted'; readonly version: number };

/** The secrets engine at a mount, as `sys/internal/ui/mounts` describes it. */
export interface MountInfo {
  readonly type: string;
  /** KV's `options.version`: "1" or "2"; undefined for another engine. */
  readonly version?: string;
}

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

/** A request: its method, the API path after /v1/, what the token needs for it (for a denial), and a JSON body. */
interface VaultCall {
  readonly method: 'GET' | 'LIST' | 'POST' | 'PATCH';
  readonly apiPath: string;
  readonly needs: string;
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
 * A KV v2 mount through Vault's HTTP API. Reads return shapes only (which paths exist, which keys they
 * hold, their versions): values are parsed only to take their keys and are dropped at once, and nothing
 * here returns one. Writes are check-and-set and never remove a key: `create` only where no version
 * exists, `patch` only onto the version the caller saw.
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

  /** What the token needs to read: the message of a denied read. */
  private get readNeeds(): string {
    return `"read" on ${this.mount}/data/* and "list" on ${this.mount}/metadata/*`;
  }

  /** The key names at `path` (`GET /v1/<mount>/data/<path>`), or undefined when there is no current version. */
  public async keysOf(path: string): Promise<string[] | undefined> {
    const state = await this.stateOf(path);
    return state.kind === 'present' ? [...state.keys] : undefined;
  }

  /** What `path` holds now (`GET /v1/<mount>/data/<path>`): its current version and key names, never a value. */
  public async stateOf(path: string): Promise<PathState> {
    const answer = await this.request({ method: 'GET', apiPath: `${encodePath(this.mount)}/data/${encodePath(path)}`, needs: this.readNeeds });
    const found = (answer.body as { data?: { data?: Record<string, unknown> | null; metadata?: { version?: unknown } | null } } | undefined)?.data;
    const version = found?.metadata?.version;
    if (answer.status === 404) {
      // KV v2 answers a deleted or destroyed current version with 404 and its metadata.
      return typeof version === 'number' && version > 0 ? { kind: 'deleted', version } : { kind: 'absent' };
    }
    if (!found?.data || typeof version !== 'number') {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} answered GET /v1/${this.mount}/data/${path} without data.data and data.metadata.version: is "${this.mount}/" a KV version 2 mount?`);
    }
    return { kind: 'present', version, keys: Object.keys(found.data) };
  }

  /** The secrets engine at the mount (`GET /v1/sys/internal/ui/mounts/<mount>`, which any token with a capability on the mount may read). */
  public async mountInfo(): Promise<MountInfo> {
    const answer = await this.request({ method: 'GET', apiPath: `sys/internal/ui/mounts/${encodePath(this.mount)}`, needs: `a capability on ${this.mount}/` });
    const data = (answer.body as { data?: { type?: unknown; options?: { version?: unknown } | null } } | undefined)?.data;
    if (answer.status === 404 || typeof data?.type !== 'string') {
      throw new VaultRequestError('no-mount', `Vault at ${this.addr} has no secrets engine at "${this.mount}/"`);
    }
    const version = data.options?.version;
    return { type: data.type, version: typeof version === 'string' ? version : undefined };
  }

  /**
   * Creates `path` with `data` (`POST /v1/<mount>/data/<path>`, `options.cas` 0): Vault refuses it
   * (VaultRequestError `conflict`) if any version exists meanwhile. Returns the new version.
   */
  public async create(path: string, data: Readonly<Record<string, string>>): Promise<number> {
    return this.write('POST', path, data, 0, `"create" on ${this.mount}/data/*`);
  }

  /**
   * Adds the keys of `data` to version `version` of `path` (`PATCH /v1/<mount>/data/<path>`, a JSON merge
   * patch with `options.cas`): Vault refuses it (VaultRequestError `conflict`) if another version came
   * meanwhile, so keys the caller did not see are never overwritten. Returns the new version.
   */
  public async patch(path: string, data: Readonly<Record<string, string>>, version: number): Promise<number> {
    return this.write('PATCH', path, data, version, `"patch" on ${this.mount}/data/*`);
  }

  private async write(method: 'POST' | 'PATCH', path: string, data: Readonly<Record<string, string>>, cas: number, needs: string): Promise<number> {
    const answer = await this.request({ method, apiPath: `${encodePath(this.mount)}/data/${encodePath(path)}`, needs, body: { options: { cas }, data } });
    if (answer.status === 404) {
      throw new VaultRequestError('conflict', `Vault at ${this.addr} found no current version of ${this.mount}/${path} to patch (${method} /v1/${this.mount}/data/${path})`);
    }
    const version = (answer.body as { data?: { version?: unknown } } | undefined)?.data?.version;
    if (typeof version !== 'number') {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} answered ${method} /v1/${this.mount}/data/${path} without data.version`);
    }
    return version;
  }

  /**
   * Every path under `prefix` (`LIST /v1/<mount>/metadata/<prefix>`, recursively), sorted. Refused
   * (VaultRequestError `unexpected`) past {@link LIST_LIMITS}: folders nested deeper than a KV mount's
   * paths go, or more paths than a homelab's Vault holds.
   */
  public async listPaths(prefix = '', depth = 0, found: { count: number } = { count: 0 }): Promise<string[]> {
    const endpoint = `LIST /v1/${this.mount}/metadata/${prefix}`;
    if (depth > LIST_LIMITS.depth) {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} lists folders more than ${LIST_LIMITS.depth} levels deep (${endpoint.slice(0, 200)}…): no KV mount of a homelab nests so; check VAULT_ADDR`);
    }
    const answer = await this.request({ method: 'LIST', apiPath: `${encodePath(this.mount)}/metadata/${encodePath(prefix)}`, needs: this.readNeeds });
    if (answer.status === 404) return [];
    const keys = (answer.body as { data?: { keys?: unknown } } | undefined)?.data?.keys;
    if (!Array.isArray(keys)) {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} answered ${endpoint} without data.keys`);
    }
    found.count += keys.length;
    if (found.count > LIST_LIMITS.paths) {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} lists more than ${LIST_LIMITS.paths} entries under ${this.mount}/ (at ${endpoint}): check VAULT_ADDR`);
    }
    const paths: string[] = [];
    for (const key of keys.map(String)) {
      if (key.endsWith('/')) paths.push(...(await this.listPaths(prefix + key, depth + 1, found)));
      else paths.push(prefix + key);
    }
    return paths.sort();
  }

  private async request({ method, apiPath, needs, body: sent }: VaultCall): Promise<VaultAnswer> {
    const endpoint = `${method} /v1/${decodeURIComponent(apiPath)}`;
    const contentType: Record<string, string> = sent === undefined ? {} : { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' };
    let response: Response;
    try {
      response = await this.fetchFn(`${this.addr}/v1/${apiPath}`, {
        method,
        headers: { 'X-Vault-Token': this.token, ...(this.namespace ? { 'X-Vault-Namespace': this.namespace } : {}), ...contentType },
        ...(sent === undefined ? {} : { body: JSON.stringify(sent) }),
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
      throw new VaultRequestError('denied', `Vault at ${this.addr} denied ${endpoint} (403${errors ? ` ${errors}` : ''}): the token needs ${needs}`);
    }
    if (response.status === 404 && NO_HANDLER.test(errors)) {
      throw new VaultRequestError('no-mount', `Vault at ${this.addr} has no secrets engine at "${this.mount}/" (${endpoint}: ${errors})`);
    }
    if (response.status === 400 && CAS_MISMATCH.test(errors)) {
      throw new VaultRequestError('conflict', `Vault at ${this.addr} refused ${endpoint}: ${errors} (another writer changed the path meanwhile)`);
    }
    if (response.status === 404) return { status: 404, body };
    if (!response.ok) {
      throw new VaultRequestError('unexpected', `Vault at ${this.addr} answered ${endpoint} with ${response.status}${errors ? `: ${errors}` : ''}`);
    }
    return { status: response.status, body };
  }
}
