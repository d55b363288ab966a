import { KeyObject, createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Server, createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCa } from './bao-dev-server';

/**
 * The one piece of a Kubernetes API server that Vault's (and OpenBao's) Kubernetes auth calls:
 * `POST /apis/authentication.k8s.io/v1/tokenreviews`, over TLS, answering from ServiceAccount tokens
 * this server issued, the way kube-apiserver's service account authenticator does.
 *
 * It listens on a Unix socket in the test process; `startBaoDevServer({ kubernetesApi })` relays the
 * API server's address (`kubernetes.default.svc:443` as the synthesized config names it) to that
 * socket inside the server's own network namespace, so TLS runs end to end between OpenBao and here.
 */
export interface TokenReviewServer {
  /** Host name of the API server as the Kubernetes auth config names it (`kubernetes.default.svc`). */
  readonly hostname: string;
  /** Its port (443 for an `https://` address without one). */
  readonly port: number;
  /** The Unix socket the HTTPS server listens on. */
  readonly socketPath: string;
  /** The CA that signed the API server's certificate: what the pod's service account `ca.crt` holds. */
  readonly caFile: string;
  /** Vault's own ServiceAccount token, as the Vault pod has it mounted: the token reviewer's bearer. */
  readonly reviewerTokenFile: string;
  /** Every TokenReview request received, in order. */
  readonly reviews: readonly TokenReviewRecord[];
  /** Creates a ServiceAccount (the API server's object: a name, a namespace, a fresh uid). */
  createServiceAccount(namespace: string, name: string): ServiceAccount;
  /** A token of `account` for `audiences`, as the TokenRequest API issues one (what ESO asks for). */
  requestToken(account: ServiceAccount, audiences: readonly string[]): string;
  /** A token with the same claims as `requestToken`, signed by a key this API server does not have. */
  forgeToken(account: ServiceAccount, audiences: readonly string[]): string;
  stop(): Promise<void>;
}

export interface ServiceAccount {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface TokenReviewRecord {
  /** HTTP status of the answer. */
  readonly status: number;
  /** Who asked: the username of the bearer token, or null when it did not authenticate. */
  readonly reviewer: string | null;
  /** `spec.audiences` of the request. */
  readonly audiences: readonly string[] | null;
  /** `status.authenticated` of the answer (absent for a refused request). */
  readonly authenticated?: boolean;
  /** `status.user.username` when authenticated. */
  readonly username?: string;
  /** `status.error` when not authenticated. */
  readonly error?: string;
}

/** kube-apiserver's issuer and default audience in a cluster with the default DNS domain. */
export const API_SERVER_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * The Vault chart's server ServiceAccount (release `vault` in namespace `vault`): the chart binds it to
 * `system:auth-delegator` when `server.authDelegator.enabled` (the Vault Application sets it), the
 * ClusterRole that may create TokenReviews. Nobody else may here.
 */
export const VAULT_SERVICE_ACCOUNT = { namespace: 'vault', name: 'vault' } as const;

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** A Kubernetes `Status` failure object, as the API server answers a refused request. */
function statusFailure(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

type Authenticated = { ok: true; account: ServiceAccount; audiences: string[]; jti: string } | { ok: false; error: string };

/**
 * Starts the TokenReview endpoint for the API server at `kubernetesHost` (an `https://` URL, the
 * synthesized `kubernetes_host`). The certificate names the host and the API server's usual names.
 */
export async function startTokenReviewServer(options: { readonly kubernetesHost: string }): Promise<TokenReviewServer> {
  const url = new URL(options.kubernetesHost);
  if (url.protocol !== 'https:') throw new Error(`kubernetes_host ${options.kubernetesHost} is not https`);
  const hostname = url.hostname;
  const port = url.port === '' ? 443 : Number(url.port);
  const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-kube-'));
  const sans = [...new Set([hostname, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'])];
  const tls = makeCa(dir, 'kubernetes-api', sans.map((name) => `DNS:${name}`).join(','));

  // The service account signing key (kube-apiserver's --service-account-signing-key-file), and one it lacks.
  const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey: KeyObject = createPublicKey(signing.privateKey);
  const kid = b64url(publicKey.export({ type: 'spki', format: 'der' }).subarray(-32));

  const accounts = new Map<string, ServiceAccount>();
  const reviews: TokenReviewRecord[] = [];

  const signToken = (key: KeyObject, account: ServiceAccount, audiences: readonly string[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'ES256', kid }));
    // The claims of a TokenRequest token without a bound object (ESO binds none).
    const claims = b64url(JSON.stringify({
      aud: [...audiences],
      exp: now + 600,
      iat: now,
      nbf: now,
      iss: API_SERVER_ISSUER,
      jti: randomUUID(),
      'kubernetes.io': { namespace: account.namespace, serviceaccount: { name: account.name, uid: account.uid } },
      sub: `system:serviceaccount:${account.namespace}:${account.name}`,
    }));
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    return `${header}.${claims}.${b64url(signature)}`;
  };

  /** The service account token authenticator: signature, issuer, time, audience, and the account still existing. */
  const authenticate = (token: string, wanted: readonly string[]): Authenticated => {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, error: 'invalid bearer token' };
    let header: any;
    let claims: any;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return { ok: false, error: 'invalid bearer token' };
    }
    const signed = header?.alg === 'ES256'
      && verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
    if (!signed) return { ok: false, error: 'invalid bearer token, square/go-jose: error in cryptographic primitive' };
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== API_SERVER_ISSUER) return { ok: false, error: 'invalid bearer token' };
    if (typeof claims.exp !== 'number' || claims.exp < now || (typeof claims.nbf === 'number' && claims.nbf > now)) {
      return { ok: false, error: 'invalid bearer token, service account token has expired' };
    }
    const tokenAudiences: string[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const matched = tokenAudiences.filter((aud) => wanted.includes(aud));
    if (matched.length === 0) {
      return { ok: false, error: `invalid bearer token, token audiences ${JSON.stringify(tokenAudiences)} is invalid for the target audiences ${JSON.stringify(wanted)}` };
    }
    const ref = claims['kubernetes.io'];
    const account = accounts.get(`${ref?.namespace}/${ref?.serviceaccount?.name}`);
    if (!account || account.uid !== ref.serviceaccount.uid) {
      return { ok: false, error: `invalid bearer token, service account ${ref?.namespace}/${ref?.serviceaccount?.name} has been deleted` };
    }
    return { ok: true, account, audiences: matched, jti: claims.jti };
  };

  const username = (account: ServiceAccount): string => `system:serviceaccount:${account.namespace}:${account.name}`;
  const reviewers = new Set([`system:serviceaccount:${VAULT_SERVICE_ACCOUNT.namespace}:${VAULT_SERVICE_ACCOUNT.name}`]);

  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    if (req.url !== '/apis/authentication.k8s.io/v1/tokenreviews' || req.method !== 'POST') {
      answer(res, 404, statusFailure(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    // The API server authenticates its callers' service account tokens against its own audience.
    const caller = bearer === undefined ? undefined : authenticate(bearer, [API_SERVER_ISSUER]);
    let spec: any;
    try {
      const review = JSON.parse(body);
      spec = review.spec ?? {};
    } catch {
      spec = undefined;
    }
    const record = (status: number, extra: Partial<TokenReviewRecord> = {}): void => {
      reviews.push({ status, reviewer: caller?.ok ? username(caller.account) : null, audiences: spec?.audiences ?? null, ...extra });
    };
    if (!caller?.ok) {
      record(401);
      answer(res, 401, statusFailure(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (!reviewers.has(username(caller.account))) {
      record(403);
      answer(res, 403, statusFailure(403, 'Forbidden',
        `tokenreviews.authentication.k8s.io is forbidden: User "${username(caller.account)}" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope`));
      return;
    }
    if (spec === undefined || typeof spec.token !== 'string' || spec.token === '') {
      record(400);
      answer(res, 400, statusFailure(400, 'BadRequest', 'token is required'));
      return;
    }
    // No audiences asked: the API server's own (the token must be meant for the API server).
    const wanted: string[] = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences : [API_SERVER_ISSUER];
    const result = authenticate(spec.token, wanted);
    const status = result.ok
      ? {
        authenticated: true,
        user: {
          username: username(result.account),
          uid: result.account.uid,
          groups: ['system:serviceaccounts', `system:serviceaccounts:${result.account.namespace}`, 'system:authenticated'],
          extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${result.jti}`] },
        },
        audiences: result.audiences,
      }
      : { user: {}, error: `[${result.error}, unknown]` };
    record(201, result.ok ? { authenticated: true, username: username(result.account) } : { authenticated: false, error: status.error as string });
    answer(res, 201, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status });
  };

  const server: Server = createServer({ key: readFileSync(tls.keyFile!), cert: readFileSync(tls.certFile!) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  const socketPath = join(dir, 'kubernetes-api.sock');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });

  const createServiceAccount = (namespace: string, name: string): ServiceAccount => {
    const account = { namespace, name, uid: randomUUID() };
    accounts.set(`${namespace}/${name}`, account);
    return account;
  };
  // Vault's pod has its own ServiceAccount token mounted, meant for the API server.
  const reviewerTokenFile = join(dir, 'vault-token');
  writeFileSync(reviewerTokenFile, signToken(signing.privateKey, createServiceAccount(VAULT_SERVICE_ACCOUNT.namespace, VAULT_SERVICE_ACCOUNT.name), [API_SERVER_ISSUER]));

  return {
    hostname,
    port,
    socketPath,
    caFile: tls.caFile,
    reviewerTokenFile,
    reviews,
    createServiceAccount,
    requestToken: (account, audiences) => {
      if (accounts.get(`${account.namespace}/${account.name}`) !== account) throw new Error(`serviceaccounts "${account.name}" not found in ${account.namespace}`);
      return signToken(signing.privateKey, account, audiences);
    },
    forgeToken: (account, audiences) => signToken(stranger.privateKey, account, audiences),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
