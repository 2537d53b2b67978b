/**
 * A real, standards-complete authorization server for integration tests: panva's oidc-provider 9
 * (OpenID Certified) in-process on 127.0.0.1 with a random port. Tests exercise the app against
 * its real behaviour (PKCE enforcement, code replay, refresh-token rotation and reuse detection,
 * RFC 9207 `iss`) instead of a fake that only encodes what we think the standard says.
 *
 * oidc-provider prints "Unsupported runtime" on Node 20 and works.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type ProviderEvent } from 'oidc-provider';

/** The public native client registered by default (the app's custom-OIDC preset shape). */
export const OIDC_PUBLIC_CLIENT_ID = 'test-oidc';
export const OIDC_DEFAULT_REDIRECT_URI = `http://127.0.0.1/callback/${OIDC_PUBLIC_CLIENT_ID}`;

/** A confidential client (client_secret_post), registered in every instance. */
export const OIDC_CONFIDENTIAL_CLIENT = {
  clientId: 'test-confidential',
  clientSecret: 'test-confidential-secret-0123456789',
} as const;

export interface OidcTestClient {
  readonly clientId: string;
  /** Loopback redirect URIs without a port: oidc-provider accepts any port for native clients. */
  readonly redirectUris?: readonly string[];
  /** Present: a confidential client authenticating with client_secret_post (or `authMethod`). */
  readonly clientSecret?: string;
  /** How a confidential client authenticates; the app uses Basic for a public preset given a secret. */
  readonly authMethod?: 'client_secret_post' | 'client_secret_basic';
  /**
   * Default true. False: a confidential client may leave PKCE out (a token backend whose exchange
   * has no field for the verifier, as Google- and GitHub-style backends have none).
   */
  readonly pkceRequired?: boolean;
  /**
   * Default false: a refresh token only with `offline_access`. True: one for every code, as
   * Google gives web clients that ask with `access_type=offline` (which oidc-provider ignores).
   */
  readonly refreshTokenAlways?: boolean;
}

export interface OidcServerOptions {
  readonly rotateRefreshToken: boolean;
  /** Access token lifetime in seconds (default 3600); short values make expiry testable. */
  readonly accessTokenTtl?: number;
  /** Defaults to one public client `test-oidc` redirecting to /callback/test-oidc. */
  readonly clients?: readonly OidcTestClient[];
  /** Cookie names are scoped by host, not port: distinct prefixes keep two servers apart. */
  readonly cookieNamePrefix?: string;
  /**
   * Every request waits this long before it is handled: the round trip to a provider this far
   * away (bench figure 1 at a realistic distance). Default 0.
   */
  readonly latencyMs?: number;
  /**
   * Serve HTTPS with this certificate, the issuer named `https://<host>:<port>` (a company's
   * identity provider with a private CA: tests/support/test-pki.ts). Default: plain http on
   * 127.0.0.1.
   */
  readonly tls?: { readonly cert: string; readonly key: string; readonly host: string };
  /** Present: the device authorization grant (RFC 8628) on, for every client. */
  readonly deviceFlow?: DeviceFlowOptions;
  /**
   * Scopes it grants beside openid, offline_access, profile and email (GitHub's `read:user`):
   * oidc-provider drops scopes it does not know, and a request left with none is access_denied.
   */
  readonly extraScopes?: readonly string[];
}

export interface DeviceFlowOptions {
  /** Lifetime of a device code in seconds (default 600); short values make expiry testable. */
  readonly codeTtl?: number;
  /** The `interval` (seconds) the device authorization answer names; oidc-provider names none. */
  readonly interval?: number;
  /**
   * Polls of one device code closer together than this are answered `slow_down` (RFC 8628 §3.5),
   * which oidc-provider itself never answers. Default: none.
   */
  readonly minPollIntervalMs?: number;
}

/** RFC 8628's grant type, as clients send it and client metadata lists it. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface OidcRequestCounts {
  /** Every POST to the token endpoint, whatever its grant type or outcome. */
  tokenRequests: number;
  refreshRequests: number;
  authorizationCodeRequests: number;
  revocationRequests: number;
  /** Initial authorization requests (GET/POST /auth), not the resumes after an interaction. */
  authorizationRequests: number;
  /** Token requests with the device_code grant, whatever their answer. */
  devicePolls: number;
  /** Device polls answered `slow_down` because they came too soon. */
  slowDowns: number;
}

export interface OidcServer {
  /** The issuer URL, `http://127.0.0.1:<port>` (or the `tls` host's) without a trailing slash. */
  readonly issuer: string;
  readonly port: number;
  readonly provider: Provider;
  readonly counts: Readonly<OidcRequestCounts>;
  /** Why grants and requests failed (event name, error, description), for diagnosing tests. */
  readonly events: string[];
  resetCounts(): void;
  /** Whether the server would still accept this access token (found, unexpired, grant alive). */
  isAccessTokenActive(token: string): Promise<boolean>;
  /** Whether this refresh token is still usable (not consumed by rotation, not revoked). */
  isRefreshTokenActive(token: string): Promise<boolean>;
  setRotation(on: boolean): void;
  setAccessTokenTtl(seconds: number): void;
  /** Device codes issued from now on last this long (needs `deviceFlow`). */
  setDeviceCodeTtl(seconds: number): void;
  /** Device polls closer together than this are answered `slow_down`; undefined: never. */
  setMinPollInterval(ms: number | undefined): void;
  stop(): Promise<void>;
}

const zeroCounts = (): OidcRequestCounts => ({
  tokenRequests: 0,
  refreshRequests: 0,
  authorizationCodeRequests: 0,
  revocationRequests: 0,
  authorizationRequests: 0,
  devicePolls: 0,
  slowDowns: 0,
});

const toMetadata = (client: OidcTestClient, deviceFlow: boolean): ClientMetadata => ({
  client_id: client.clientId,
  application_type: 'native',
  redirect_uris: client.redirectUris ?? [`http://127.0.0.1/callback/${client.clientId}`],
  grant_types: ['authorization_code', 'refresh_token', ...(deviceFlow ? [DEVICE_CODE_GRANT] : [])],
  response_types: ['code'],
  ...(client.clientSecret === undefined
    ? { token_endpoint_auth_method: 'none' }
    : {
        token_endpoint_auth_method: client.authMethod ?? 'client_secret_post',
        client_secret: client.clientSecret,
      }),
});

const DIAGNOSTIC_EVENTS: readonly ProviderEvent[] = [
  'grant.error',
  'server_error',
  'authorization.error',
  'revocation.error',
  'userinfo.error',
  'introspection.error',
  'interaction.error',
];

const firstString = (value: string | readonly string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : value?.[0];

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const startOidcServer = async (options: OidcServerOptions): Promise<OidcServer> => {
  let rotate = options.rotateRefreshToken;
  let accessTokenTtl = options.accessTokenTtl ?? 3600;
  let deviceCodeTtl = options.deviceFlow?.codeTtl ?? 600;
  let minPollMs = options.deviceFlow?.minPollIntervalMs;
  const counts = zeroCounts();
  const events: string[] = [];

  // The issuer must contain the port, which is known only once listening: the provider is
  // created after listen() and attached as the request handler then.
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key })
    : createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = options.tls ? `https://${options.tls.host}:${port}` : `http://127.0.0.1:${port}`;
  const prefix = options.cookieNamePrefix ?? `op${port}`;

  const clients: OidcTestClient[] = [...(options.clients ?? [{ clientId: OIDC_PUBLIC_CLIENT_ID }])];
  if (!clients.some((c) => c.clientId === OIDC_CONFIDENTIAL_CLIENT.clientId)) {
    clients.push({
      ...OIDC_CONFIDENTIAL_CLIENT,
      redirectUris: [`http://127.0.0.1/callback/${OIDC_CONFIDENTIAL_CLIENT.clientId}`],
    });
  }

  const pkceOptional = new Set(
    clients.filter((c) => c.pkceRequired === false).map((c) => c.clientId),
  );
  const refreshAlways = new Set(
    clients.filter((c) => c.refreshTokenAlways === true).map((c) => c.clientId),
  );

  // Our own signing key: without one oidc-provider uses built-in development keys and warns.
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });

  const provider = new Provider(issuer, {
    clients: clients.map((client) => toMetadata(client, options.deviceFlow !== undefined)),
    jwks: { keys: [{ ...signingKey, kid: `test-${port}`, alg: 'RS256', use: 'sig' }] },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      introspection: { enabled: true },
      deviceFlow: { enabled: options.deviceFlow !== undefined },
    },
    pkce: { required: (_ctx, client) => !pkceOptional.has(client.clientId) },
    scopes: ['openid', 'offline_access', 'profile', 'email', ...(options.extraScopes ?? [])],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Any login name typed on the dev login page becomes the account ID: tests pick identities.
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.test`, email_verified: true, name: id }),
    }),
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || refreshAlways.has(client.clientId)),
    rotateRefreshToken: () => rotate,
    ttl: {
      AccessToken: () => accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      Session: 24 * 3600,
      Interaction: 3600,
      DeviceCode: () => deviceCodeTtl,
    },
    cookies: {
      keys: ['tokendesk-test-cookie-key-1', 'tokendesk-test-cookie-key-2'],
      names: {
        session: `${prefix}_session`,
        interaction: `${prefix}_interaction`,
        resume: `${prefix}_resume`,
      },
    },
  });

  for (const event of DIAGNOSTIC_EVENTS) {
    provider.on(event, (_ctx, error) => {
      events.push(
        `${event}: ${error.error ?? error.name} ${error.error_description ?? error.message}`,
      );
    });
  }

  // Counted after next(): oidc-provider parses the form body itself (it must see the raw
  // stream), so the grant type is read from ctx.oidc.body once it has run. The finally clause
  // counts requests that failed too: a refresh that ended in invalid_grant still reached us.
  provider.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      if (ctx.method === 'POST' && ctx.path === '/token') {
        counts.tokenRequests += 1;
        const grantType = firstString(ctx.oidc?.body?.grant_type);
        if (grantType === 'refresh_token') counts.refreshRequests += 1;
        if (grantType === 'authorization_code') counts.authorizationCodeRequests += 1;
        if (grantType === DEVICE_CODE_GRANT) counts.devicePolls += 1;
      } else if (ctx.method === 'POST' && ctx.path === '/token/revocation') {
        counts.revocationRequests += 1;
      } else if (ctx.path === '/auth') {
        counts.authorizationRequests += 1;
      } else if (
        ctx.method === 'POST' &&
        ctx.path === '/device/auth' &&
        options.deviceFlow?.interval !== undefined &&
        typeof ctx.body === 'object' &&
        ctx.body !== null &&
        'device_code' in ctx.body
      ) {
        Object.assign(ctx.body, { interval: options.deviceFlow.interval });
      }
    }
  });

  const providerHandler = provider.callback();
  // RFC 8628 §3.5's slow_down, which oidc-provider leaves to the deployment: answered before the
  // provider sees the request, so a poll too soon neither consumes nor completes anything.
  const lastPoll = new Map<string, number>();
  const handle =
    options.deviceFlow === undefined
      ? providerHandler
      : async (request: IncomingMessage, response: ServerResponse) => {
          if (minPollMs === undefined || request.method !== 'POST' || request.url !== '/token') {
            return providerHandler(request, response);
          }
          const text = await readBody(request);
          const form = new URLSearchParams(text);
          const deviceCode = form.get('device_code');
          if (form.get('grant_type') === DEVICE_CODE_GRANT && deviceCode !== null) {
            const now = Date.now();
            const last = lastPoll.get(deviceCode);
            lastPoll.set(deviceCode, now);
            if (last !== undefined && now - last < (minPollMs ?? 0)) {
              counts.devicePolls += 1;
              counts.slowDowns += 1;
              response.writeHead(400, {
                'content-type': 'application/json',
                'cache-control': 'no-store',
              });
              response.end(JSON.stringify({ error: 'slow_down', error_description: 'too soon' }));
              return undefined;
            }
          }
          // The stream is spent: oidc-provider takes an already read body from `req.body`.
          Object.assign(request, { body: text });
          return providerHandler(request, response);
        };
  const latencyMs = options.latencyMs ?? 0;
  server.on(
    'request',
    latencyMs > 0
      ? (request: IncomingMessage, response: ServerResponse) =>
          void setTimeout(() => void handle(request, response), latencyMs)
      : handle,
  );

  const tokenAlive = async (finder: Provider['AccessToken'], token: string): Promise<boolean> => {
    const stored = await finder.find(token);
    if (stored === undefined || !stored.isValid || stored.grantId === undefined) return false;
    // Reuse detection and revocation kill the grant; its tokens are then refused everywhere.
    const grant = await provider.Grant.find(stored.grantId);
    return grant !== undefined && grant.isValid;
  };

  return {
    issuer,
    port,
    provider,
    counts,
    events,
    resetCounts: () => Object.assign(counts, zeroCounts()),
    isAccessTokenActive: (token) => tokenAlive(provider.AccessToken, token),
    isRefreshTokenActive: (token) => tokenAlive(provider.RefreshToken, token),
    setRotation: (on) => {
      rotate = on;
    },
    setAccessTokenTtl: (seconds) => {
      accessTokenTtl = seconds;
    },
    setDeviceCodeTtl: (seconds) => {
      deviceCodeTtl = seconds;
    },
    setMinPollInterval: (ms) => {
      minPollMs = ms;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from fetch's pool would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
};
