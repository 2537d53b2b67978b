/**
 * A scriptable OAuth 2.0 provider on the tiny server: a token endpoint (code and refresh grants),
 * a user-info endpoint and an RFC 7009 revocation endpoint; also, for a configuration by issuer
 * (the `oidc` preset), a discovery document naming them and an RFC 7662 introspection endpoint. Each answer can be replaced by a test
 * to produce one provider behaviour (a refusal, an outage, a rotation).
 */
import {
  startTinyServer,
  type TinyReply,
  type TinyRequest,
  type TinyServer,
} from './tiny-http-server';

export interface TinyOAuthScript {
  code: (request: TinyRequest) => TinyReply;
  refresh: (request: TinyRequest) => TinyReply;
  /** The client credentials grant (machine accounts); by default not supported. */
  clientCredentials: (request: TinyRequest) => TinyReply;
  userinfo: (request: TinyRequest) => TinyReply;
  revoke: (request: TinyRequest) => TinyReply;
  /** The introspection endpoint's answer (RFC 7662). */
  introspect: (request: TinyRequest) => TinyReply;
  /** `/.well-known/openid-configuration`, given the document naming every endpoint above. */
  discovery: (document: Readonly<Record<string, unknown>>) => TinyReply;
  /** The device authorization endpoint's answer (RFC 8628 §3.2), at `deviceAuthorizationEndpoint`. */
  device: (request: TinyRequest) => TinyReply;
  /** The token endpoint's answer to a device_code poll (RFC 8628 §3.4). */
  deviceToken: (request: TinyRequest) => TinyReply;
}

export interface TinyOAuthProvider {
  readonly server: TinyServer;
  readonly url: string;
  readonly endpoints: {
    readonly authorization: string;
    readonly token: string;
    readonly userinfo: string;
    readonly revocation: string;
  };
  /** The issuer whose discovery document names the endpoints, introspection's among them. */
  readonly issuer: string;
  readonly introspectionEndpoint: string;
  /** Not among `endpoints`: a configuration names it only for a sign-in with a code. */
  readonly deviceAuthorizationEndpoint: string;
  script: TinyOAuthScript;
  /** Restores the default answers. */
  reset(): void;
  close(): Promise<void>;
}

export const tokenReply = (fields: Readonly<Record<string, unknown>>): TinyReply => ({
  status: 200,
  json: { token_type: 'Bearer', expires_in: 3600, ...fields },
  headers: { 'cache-control': 'no-store' },
});

export const oauthError = (status: number, error: string, description?: string): TinyReply => ({
  status,
  json: { error, ...(description !== undefined ? { error_description: description } : {}) },
});

export const defaultScript = (): TinyOAuthScript => ({
  code: () =>
    tokenReply({ access_token: 'access-token-1', refresh_token: 'refresh-token-1', scope: 'read' }),
  refresh: () => tokenReply({ access_token: 'access-token-2', scope: 'read' }),
  clientCredentials: () => oauthError(400, 'unsupported_grant_type'),
  userinfo: () => ({ status: 200, json: { sub: 'user-1', email: 'user@example.test' } }),
  revoke: () => ({ status: 200, text: '' }),
  introspect: () => ({
    status: 200,
    json: { active: true, scope: 'read', client_id: 'tokendesk-test', sub: 'user-1' },
  }),
  discovery: (document) => ({ status: 200, json: document }),
  device: () => ({
    status: 200,
    json: {
      device_code: 'tiny-device-code',
      user_code: 'TINY-CODE',
      verification_uri: 'https://id.example.test/activate',
      expires_in: 600,
      interval: 1,
    },
    headers: { 'cache-control': 'no-store' },
  }),
  deviceToken: () => oauthError(400, 'authorization_pending'),
});

export const startTinyOAuthProvider = async (): Promise<TinyOAuthProvider> => {
  const provider = {} as { script: TinyOAuthScript };
  provider.script = defaultScript();
  const server = await startTinyServer((request) => {
    switch (request.path) {
      case '/.well-known/openid-configuration':
        return provider.script.discovery({
          issuer: server.url,
          authorization_endpoint: `${server.url}/authorize`,
          token_endpoint: `${server.url}/token`,
          userinfo_endpoint: `${server.url}/userinfo`,
          revocation_endpoint: `${server.url}/revoke`,
          introspection_endpoint: `${server.url}/introspect`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        });
      case '/introspect':
        return provider.script.introspect(request);
      case '/token':
        if (request.form.grant_type === 'authorization_code') return provider.script.code(request);
        if (request.form.grant_type === 'refresh_token') return provider.script.refresh(request);
        if (request.form.grant_type === 'client_credentials')
          return provider.script.clientCredentials(request);
        if (request.form.grant_type === 'urn:ietf:params:oauth:grant-type:device_code')
          return provider.script.deviceToken(request);
        return oauthError(400, 'unsupported_grant_type');
      case '/device':
        return provider.script.device(request);
      case '/userinfo':
        return provider.script.userinfo(request);
      case '/revoke':
        return provider.script.revoke(request);
      default:
        return { status: 404, text: 'not found' };
    }
  });
  return {
    server,
    url: server.url,
    endpoints: {
      authorization: `${server.url}/authorize`,
      token: `${server.url}/token`,
      userinfo: `${server.url}/userinfo`,
      revocation: `${server.url}/revoke`,
    },
    issuer: server.url,
    introspectionEndpoint: `${server.url}/introspect`,
    deviceAuthorizationEndpoint: `${server.url}/device`,
    get script() {
      return provider.script;
    },
    set script(next: TinyOAuthScript) {
      provider.script = next;
    },
    reset() {
      provider.script = defaultScript();
      server.requests.length = 0;
    },
    close: () => server.close(),
  };
};
