// A KV v2 mount held in memory and served the way Vault's HTTP API serves it, for the unit tests of
// the commands that read and write Vault (check, seed). The real thing is proven against OpenBao in
// test/e2e/; this one lets a test see every request, race a write, or delete a version.

/** One version of a path: its data, or deleted. */
interface Version {
  readonly data: Record<string, string>;
  deleted: boolean;
}

/** A request the fake answered: method, path and the parsed body (writes carry values: tests read them, never print them). */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType?: string;
  readonly body?: { options?: { cas?: number }; data?: Record<string, string> };
}

export interface FakeKv2 {
  readonly fetch: typeof fetch;
  readonly requests: FakeRequest[];
  /** The current data of `path`, or undefined when it has no readable current version. */
  current(path: string): Record<string, string> | undefined;
  /** The current version number of `path` (0: none). */
  version(path: string): number;
  /** Writes a new version as another writer would (`vault kv put`). */
  put(path: string, data: Record<string, string>): void;
  /** Deletes the current version (`vault kv delete`). */
  deleteCurrent(path: string): void;
  /** Runs once, just before the next write is applied: a racing writer. */
  beforeNextWrite(hook: () => void): void;
}

/**
 * The fake: mount `mount` (KV `mountVersion`), token `token`. POST needs options.cas to match the current
 * version (0 for none) when given; PATCH needs a current version that is not deleted, the merge-patch
 * content type and a matching cas when given, as KV v2 does.
 */
export function fakeKv2(options: { readonly mount?: string; readonly token?: string; readonly mountVersion?: string; readonly mountType?: string } = {}): FakeKv2 {
  const mount = options.mount ?? 'homelab';
  const token = options.token ?? 'test-token';
  const paths = new Map<string, Version[]>();
  const requests: FakeRequest[] = [];
  let hook: (() => void) | undefined;
  const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status });
  const versions = (path: string): Version[] => paths.get(path) ?? [];
  const latest = (path: string): Version | undefined => versions(path).at(-1);
  const casMismatch = (): Response => json(400, { errors: ['check-and-set parameter did not match the current version'] });
  // The mount as a literal in the routes below: a hostile one is full of regular-expression syntax.
  const mountPattern = mount.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const path = decodeURIComponent(url.pathname);
    requests.push({ method, path, ...(headers['Content-Type'] ? { contentType: headers['Content-Type'] } : {}), ...(body ? { body } : {}) });
    if (headers['X-Vault-Token'] !== token) return json(403, { errors: ['permission denied'] });
    if (path === `/v1/sys/internal/ui/mounts/${mount}` && method === 'GET') {
      return json(200, { data: { type: options.mountType ?? 'kv', options: { version: options.mountVersion ?? '2' }, path: `${mount}/` } });
    }
    const data = path.match(new RegExp(`^/v1/${mountPattern}/data/(.+)$`, 's'));
    if (data) {
      const name = data[1];
      const last = latest(name);
      if (method === 'GET') {
        if (!last) return json(404, { errors: [] });
        const metadata = { version: versions(name).length, deletion_time: last.deleted ? '2026-01-01T00:00:00Z' : '' };
        return last.deleted ? json(404, { data: { data: null, metadata } }) : json(200, { data: { data: { ...last.data }, metadata } });
      }
      if (method === 'POST' || method === 'PATCH') {
        const cas = body?.options?.cas;
        if (hook) {
          const run = hook;
          hook = undefined;
          run();
        }
        const now = latest(name);
        if (method === 'PATCH') {
          if (headers['Content-Type'] !== 'application/merge-patch+json') return json(415, { errors: ['unsupported content type'] });
          if (!now || now.deleted) return json(404, { errors: [] });
        }
        if (cas !== undefined && cas !== versions(name).length) return casMismatch();
        const merged = method === 'PATCH' ? { ...now!.data, ...body.data } : { ...body.data };
        paths.set(name, [...versions(name), { data: merged, deleted: false }]);
        return json(200, { data: { version: versions(name).length } });
      }
    }
    const list = path.match(new RegExp(`^/v1/${mountPattern}/metadata/(.*)$`, 's'));
    if (list && method === 'LIST') {
      const prefix = list[1];
      const keys = [...new Set([...paths.keys()].filter((p) => p.startsWith(prefix)).map((p) => {
        const rest = p.slice(prefix.length);
        return rest.includes('/') ? rest.slice(0, rest.indexOf('/') + 1) : rest;
      }))].sort();
      return keys.length > 0 ? json(200, { data: { keys } }) : json(404, { errors: [] });
    }
    return json(404, { errors: [`no handler for route "${path.slice(4)}". route entry not found.`] });
  }) as typeof fetch;

  return {
    fetch: fetchFn,
    requests,
    current: (path) => {
      const last = latest(path);
      return last && !last.deleted ? { ...last.data } : undefined;
    },
    version: (path) => versions(path).length,
    put: (path, data) => paths.set(path, [...versions(path), { data: { ...data }, deleted: false }]),
    deleteCurrent: (path) => {
      latest(path)!.deleted = true;
    },
    beforeNextWrite: (run) => {
      hook = run;
    },
  };
}
