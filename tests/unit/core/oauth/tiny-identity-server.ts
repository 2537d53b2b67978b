/**
 * A scriptable identity server for the oauth/ unit tests, laid out the way real products lay
 * theirs out (Keycloak's realms, authentik's applications): the issuer and the endpoints sit under
 * a path, the discovery document under the issuer, and the token endpoint issues RS256 ID tokens
 * with whatever claims the test gives. Consent is the scripted port: `consent()` answers with a
 * code and the request's state, and remembers the nonce the app sent so the ID token echoes it.
 */
import { createRs256Signer } from '../../../support/rs256-signer';
import { callbackUrl, type ConsentAnswer } from '../../helpers/scripted-consent';
import { startTinyServer, type TinyReply, type TinyServer } from '../../helpers/tiny-http-server';

export interface TinyIdentityServerOptions {
  /** The issuer's path under the server's origin, exactly as the product writes it. */
  readonly issuerPath: string;
  /** Endpoint paths under the origin. */
  readonly paths: {
    readonly authorization: string;
    readonly token: string;
    readonly userinfo: string;
  };
}

export interface TinyIdentityServer {
  readonly server: TinyServer;
  readonly issuer: string;
  readonly clientId: string;
  readonly endpoints: {
    readonly authorization: string;
    readonly token: string;
    readonly userinfo: string;
  };
  /**
   * Claims of the ID token the token endpoint issues (on code and refresh grants) on top of iss/aud/sub/iat/exp and the nonce
   * of the last authorization request (a claim set to undefined is left out), or `null` for a
   * response without an ID token.
   */
  idTokenClaims: Readonly<Record<string, unknown>> | null;
  /** The user-info endpoint's answer. */
  userinfo: () => TinyReply;
  /** The authorization URLs the app opened, in order. */
  readonly authorizations: URL[];
  /** The provider's redirect: a code, the request's state, and these extra parameters. */
  consent(extra?: Readonly<Record<string, string>>): ConsentAnswer;
  close(): Promise<void>;
}

export const CLIENT_ID = 'tokendesk-unit';
export const SUBJECT = 'user-1';

export const startTinyIdentityServer = async (
  options: TinyIdentityServerOptions,
): Promise<TinyIdentityServer> => {
  const signer = createRs256Signer();
  const authorizations: URL[] = [];
  const wellKnown = `${options.issuerPath.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const server = await startTinyServer(() => ({ status: 404, text: 'not found' }));
  const at = (path: string): string => `${server.url}${path}`;
  const issuer = at(options.issuerPath);
  const endpoints = {
    authorization: at(options.paths.authorization),
    token: at(options.paths.token),
    userinfo: at(options.paths.userinfo),
  };

  const idToken = (): string | undefined => {
    if (identity.idTokenClaims === null) return undefined;
    const nonce = authorizations.at(-1)?.searchParams.get('nonce') ?? undefined;
    const iat = Math.floor(Date.now() / 1000);
    return signer.sign({
      iss: issuer,
      aud: CLIENT_ID,
      sub: SUBJECT,
      iat,
      exp: iat + 3600,
      ...(nonce !== undefined ? { nonce } : {}),
      ...identity.idTokenClaims,
    });
  };

  const identity: TinyIdentityServer = {
    server,
    issuer,
    clientId: CLIENT_ID,
    endpoints,
    idTokenClaims: {},
    userinfo: () => ({ status: 200, json: { sub: SUBJECT, email: 'user@example.test' } }),
    authorizations,
    consent: (extra = {}) => {
      return (authorizationUrl, redirectUri) => {
        authorizations.push(authorizationUrl);
        return callbackUrl(redirectUri, {
          code: 'auth-code-1',
          state: authorizationUrl.searchParams.get('state') ?? '',
          ...extra,
        });
      };
    },
    close: () => server.close(),
  };

  server.handler = (request) => {
    if (request.method === 'GET' && request.path === wellKnown) {
      return {
        status: 200,
        json: {
          issuer,
          authorization_endpoint: endpoints.authorization,
          token_endpoint: endpoints.token,
          userinfo_endpoint: endpoints.userinfo,
          jwks_uri: at('/jwks'),
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        },
      };
    }
    const grant = request.form.grant_type;
    if (
      request.path === options.paths.token &&
      (grant === 'authorization_code' || grant === 'refresh_token')
    ) {
      const id = idToken();
      return {
        status: 200,
        headers: { 'cache-control': 'no-store' },
        json: {
          access_token: 'access-token-1',
          token_type: 'Bearer',
          expires_in: 300,
          refresh_token: 'refresh-token-1',
          ...(id !== undefined ? { id_token: id } : {}),
        },
      };
    }
    if (request.path === options.paths.userinfo) return identity.userinfo();
    return { status: 404, text: 'not found' };
  };
  return identity;
};
