/**
 * oidc-provider as a machine-to-machine authorization server: the client credentials grant
 * (`features.clientCredentials`), RFC 8707 resource indicators for one API, RFC 7662
 * introspection and RFC 7009 revocation, and one client per way a client authenticates
 * (client_secret_basic, client_secret_post, private_key_jwt with a key the test made). No
 * browser: nobody signs in.
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';

/** The API a resource indicator names; its tokens carry it as `aud`. */
export const MACHINE_RESOURCE = 'https://api.example.test/';
export const MACHINE_SCOPES = ['api:read', 'api:write'] as const;
/** A scope the provider knows and no client may ask for: invalid_scope. */
export const FORBIDDEN_SCOPE = 'api:admin';

export const MACHINE_CLIENTS = {
  basic: { clientId: 'svc-basic', clientSecret: 'svc-basic-secret-0123456789abcdef' },
  post: { clientId: 'svc-post', clientSecret: 'svc-post-secret-0123456789abcdef' },
  jwt: { clientId: 'svc-jwt' },
  /** A confidential client of the test's own, which asks the introspection endpoint. */
  introspector: { clientId: 'introspector', clientSecret: 'introspector-secret-0123456789' },
} as const;

interface MachineClientMetadata extends ClientMetadata {
  readonly scope?: string;
  readonly jwks?: { readonly keys: readonly JsonWebKey[] };
}

export interface MachineServer {
  readonly issuer: string;
  /** The private_key_jwt client's private key, PKCS#8 PEM and as a private JWK. */
  readonly clientKey: { readonly pem: string; readonly jwk: JsonWebKey; readonly kid: string };
  /** Client credentials requests that reached the token endpoint, whatever their outcome. */
  readonly grants: { readonly count: number; readonly audiences: readonly (string | undefined)[] };
  readonly events: string[];
  resetCounts(): void;
  setAccessTokenTtl(seconds: number): void;
  /** The provider's introspection answer for a token (asked by a client of the test's own). */
  introspect(token: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

const firstString = (value: string | readonly string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : value?.[0];

export const startMachineServer = async (
  options: { readonly accessTokenTtl?: number } = {},
): Promise<MachineServer> => {
  let ttl = options.accessTokenTtl ?? 3600;
  let count = 0;
  let audiences: (string | undefined)[] = [];
  const events: string[] = [];

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });
  const client = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `svc-jwt-key-${port}`;
  const clientKey = {
    pem: client.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    jwk: { ...client.privateKey.export({ format: 'jwk' }), kid },
    kid,
  };

  const machine = (metadata: Partial<MachineClientMetadata>): MachineClientMetadata => ({
    client_id: '',
    redirect_uris: [],
    response_types: [],
    grant_types: ['client_credentials'],
    scope: MACHINE_SCOPES.join(' '),
    ...metadata,
  });
  const clients: MachineClientMetadata[] = [
    machine({
      client_id: MACHINE_CLIENTS.basic.clientId,
      client_secret: MACHINE_CLIENTS.basic.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
    }),
    machine({
      client_id: MACHINE_CLIENTS.post.clientId,
      client_secret: MACHINE_CLIENTS.post.clientSecret,
      token_endpoint_auth_method: 'client_secret_post',
    }),
    machine({
      client_id: MACHINE_CLIENTS.jwt.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: {
        keys: [{ ...client.publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
      },
    }),
    machine({
      client_id: MACHINE_CLIENTS.introspector.clientId,
      client_secret: MACHINE_CLIENTS.introspector.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
    }),
  ];

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [{ ...signingKey, kid: `test-${port}`, alg: 'RS256', use: 'sig' }] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== MACHINE_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: MACHINE_SCOPES.join(' '),
            audience: MACHINE_RESOURCE,
            accessTokenFormat: 'opaque',
            accessTokenTTL: ttl,
          };
        },
      },
    },
    scopes: ['openid', ...MACHINE_SCOPES, FORBIDDEN_SCOPE],
    ttl: { ClientCredentials: () => ttl },
  });
  for (const event of ['grant.error', 'server_error', 'introspection.error'] as const) {
    provider.on(event, (_ctx, error) => {
      events.push(
        `${event}: ${error.error ?? error.name} ${error.error_description ?? error.message}`,
      );
    });
  }
  provider.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      const grantType = firstString(ctx.oidc?.body?.grant_type);
      if (ctx.method === 'POST' && ctx.path === '/token' && grantType === 'client_credentials') {
        count += 1;
        audiences.push(firstString(ctx.oidc?.body?.audience));
      }
    }
  });
  server.on('request', provider.callback());

  return {
    issuer,
    clientKey,
    get grants() {
      return { count, audiences };
    },
    events,
    resetCounts: () => {
      count = 0;
      audiences = [];
    },
    setAccessTokenTtl: (seconds) => {
      ttl = seconds;
    },
    async introspect(token) {
      const { clientId, clientSecret } = MACHINE_CLIENTS.introspector;
      const response = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token }),
      });
      if (response.status !== 200) throw new Error(`introspection: HTTP ${response.status}`);
      return (await response.json()) as Record<string, unknown>;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
