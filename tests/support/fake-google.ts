/**
 * A local stand-in for Google's OAuth 2.0 / OpenID Connect endpoints, answering as Google's
 * documentation and observed behaviour say (docs/PROVIDERS.md, "Google"):
 * - the token endpoint requires the client secret even with PKCE ("Desktop app" clients);
 * - a refresh returns a new access token and no refresh token (keep the old one);
 * - granted scopes come back expanded (`email` → `https://www.googleapis.com/auth/userinfo.email`);
 * - the callback carries extra parameters (`scope`, `authuser`, `prompt`) and no `iss`;
 * - /revoke answers 400 `invalid_token` for an unknown or already revoked token (not RFC 7009's
 *   200), and revoking either token of a grant revokes the grant;
 * - ID tokens are RS256 with `sub` a stable numeric string (identify accounts by it, not email);
 *   their `iss` is `https://accounts.google.com` or `accounts.google.com`, both documented
 *   (`idTokenIssuer` chooses: the base URL, or the same without its scheme).
 * One server plays accounts.google.com, oauth2.googleapis.com and openidconnect.googleapis.com.
 */
import type { ServerResponse } from 'node:http';
import { answerWithFaults, type FaultMode, type FaultSwitch } from './fault';
import { FakeLedger, randomToken, stableDigits, type IssuedToken } from './fake-ledger';
import {
  basicCredentials,
  bearerToken,
  htmlReply,
  jsonReply,
  redirectReply,
  sendReply,
  startFakeHttpServer,
  type RecordedRequest,
  type Reply,
} from './fake-server';
import { checkPkce } from './pkce-check';
import { createRs256Signer } from './rs256-signer';

export const GOOGLE_PATHS = {
  authorization: '/o/oauth2/v2/auth',
  token: '/token',
  revocation: '/revoke',
  userinfo: '/v1/userinfo',
  jwks: '/oauth2/v3/certs',
  discovery: '/.well-known/openid-configuration',
} as const;

export interface FakeGoogleOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Seconds; Google's is 3599. */
  readonly accessTokenTtl?: number;
}

export interface FakeGoogleUser {
  readonly login: string;
  readonly sub: string;
  readonly email: string;
  readonly name: string;
}

export interface FakeGoogleCodeOptions {
  readonly redirectUri: string;
  readonly clientId?: string;
  readonly scope?: readonly string[];
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256' | 'plain';
  readonly nonce?: string;
}

export interface FakeGoogle extends FaultSwitch {
  /** Base URL; also the `iss` of its ID tokens and its discovery issuer. */
  readonly url: string;
  readonly endpoints: { readonly [K in keyof typeof GOOGLE_PATHS]: string };
  readonly clientId: string;
  readonly clientSecret: string;
  readonly requests: readonly RecordedRequest[];
  /** Query parameters of every authorization request (access_type, prompt, code_challenge...). */
  readonly authorizationRequests: readonly Readonly<Record<string, string>>[];
  readonly errors: readonly string[];
  fault: FaultMode | null;
  faultOnce: boolean;
  /** Access-token lifetime in seconds for tokens issued from now on. */
  accessTokenTtl: number;
  /**
   * The `iss` of ID tokens issued from now on: undefined for the base URL (`https://…`), or
   * any other text (the base URL without its scheme, as Google also writes it).
   */
  idTokenIssuer: string | undefined;
  /** Who signs in at the next authorization request (login_hint wins when present). */
  nextUser: string;
  /** 'deny' makes the next authorization redirect with error=access_denied. */
  nextOutcome: 'approve' | 'deny';
  userFor(login: string): FakeGoogleUser;
  createCode(user: string, options: FakeGoogleCodeOptions): string;
  isAccessTokenActive(token: string): Promise<boolean>;
  isRefreshTokenActive(token: string): Promise<boolean>;
  tokenRequests(): readonly RecordedRequest[];
  stop(): Promise<void>;
}

const SCOPE_URLS: Readonly<Record<string, string>> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};

const expandScope = (scope: readonly string[]): string[] => scope.map((s) => SCOPE_URLS[s] ?? s);
const hasScope = (scope: readonly string[], short: string): boolean =>
  scope.includes(short) || (SCOPE_URLS[short] !== undefined && scope.includes(SCOPE_URLS[short]));

const isLoopbackRedirect = (value: string): boolean => {
  const url = URL.parse(value);
  return (
    url !== null &&
    url.protocol === 'http:' &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  );
};

const googleErrorPage = (status: number, error: string, detail: string): Reply =>
  htmlReply(
    status,
    `<!DOCTYPE html><html><head><title>Error ${status} (${error})</title></head><body>
<h1>Access blocked: authorization error</h1><p>Error ${status}: ${error}</p><p>${detail}</p></body></html>`,
  );

const tokenError = (status: number, error: string, description: string): Reply =>
  jsonReply(status, { error, error_description: description });

export const startFakeGoogle = async (options: FakeGoogleOptions = {}): Promise<FakeGoogle> => {
  const ledger = new FakeLedger();
  const signer = createRs256Signer();
  const authorizationRequests: Record<string, string>[] = [];
  const users = new Map<string, FakeGoogleUser>();
  let base = '';

  const userFor = (login: string): FakeGoogleUser => {
    const known = users.get(login);
    if (known) return known;
    const user = {
      login,
      sub: stableDigits(`google:${login}`, 21),
      email: `${login}@gmail.example`,
      name: login,
    };
    users.set(login, user);
    return user;
  };

  const idTokenFor = (
    token: Pick<IssuedToken, 'user' | 'clientId' | 'scope' | 'nonce'>,
  ): string => {
    const user = userFor(token.user);
    const iat = Math.floor(Date.now() / 1000);
    return signer.sign({
      iss: fake.idTokenIssuer ?? base,
      azp: token.clientId,
      aud: token.clientId,
      sub: user.sub,
      ...(hasScope(token.scope, 'email') ? { email: user.email, email_verified: true } : {}),
      ...(hasScope(token.scope, 'profile') ? { name: user.name } : {}),
      ...(token.nonce === undefined ? {} : { nonce: token.nonce }),
      iat,
      exp: iat + 3600,
    });
  };

  const issueCode = (
    login: string,
    code: Omit<FakeGoogleCodeOptions, 'clientId'> & { clientId: string },
  ): string =>
    ledger.issueCode(
      {
        user: login,
        clientId: code.clientId,
        redirectUri: code.redirectUri,
        scope: expandScope(code.scope ?? ['openid', 'email', 'profile']),
        ...(code.codeChallenge === undefined
          ? {}
          : {
              codeChallenge: code.codeChallenge,
              codeChallengeMethod: code.codeChallengeMethod ?? 'plain',
            }),
        ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
      },
      randomToken('4/0A', 32),
    ).value;

  const authorize = (request: RecordedRequest): Reply => {
    const q = request.query;
    authorizationRequests.push({ ...q });
    if (q.client_id !== fake.clientId) {
      return googleErrorPage(401, 'invalid_client', 'The OAuth client was not found.');
    }
    const redirectUri = q.redirect_uri;
    if (redirectUri === undefined || !isLoopbackRedirect(redirectUri)) {
      return googleErrorPage(400, 'redirect_uri_mismatch', `redirect_uri=${redirectUri ?? ''}`);
    }
    if (q.scope === undefined || q.scope === '') {
      return googleErrorPage(400, 'invalid_request', 'Missing required parameter: scope');
    }
    const callback = new URL(redirectUri);
    if (q.state !== undefined) callback.searchParams.set('state', q.state);
    if (q.response_type !== 'code') {
      callback.searchParams.set('error', 'unsupported_response_type');
      return redirectReply(callback.href);
    }
    if (fake.nextOutcome === 'deny') {
      fake.nextOutcome = 'approve';
      callback.searchParams.set('error', 'access_denied');
      return redirectReply(callback.href);
    }
    const scope = q.scope.split(' ').filter((s) => s !== '');
    const code = issueCode(q.login_hint ?? fake.nextUser, {
      clientId: q.client_id,
      redirectUri,
      scope,
      ...(q.code_challenge === undefined
        ? {}
        : {
            codeChallenge: q.code_challenge,
            codeChallengeMethod: q.code_challenge_method === 'S256' ? 'S256' : 'plain',
          }),
      ...(q.nonce === undefined ? {} : { nonce: q.nonce }),
    });
    callback.searchParams.set('code', code);
    callback.searchParams.set('scope', expandScope(scope).join(' '));
    callback.searchParams.set('authuser', '0');
    callback.searchParams.set('prompt', q.prompt === 'consent' ? 'consent' : 'none');
    return redirectReply(callback.href);
  };

  const tokens = (request: RecordedRequest): Reply => {
    const form = request.form;
    // Google accepts the client in the body or in HTTP Basic.
    const basic = basicCredentials(request);
    const clientId = basic?.id ?? form.client_id;
    const clientSecret = basic?.secret ?? form.client_secret;
    if (clientId === undefined || clientId === '') {
      return tokenError(400, 'invalid_request', 'Could not determine client ID from request.');
    }
    if (clientId !== fake.clientId)
      return tokenError(401, 'invalid_client', 'The OAuth client was not found.');
    if (clientSecret === undefined || clientSecret === '') {
      return tokenError(400, 'invalid_request', 'client_secret is missing.');
    }
    if (clientSecret !== fake.clientSecret)
      return tokenError(401, 'invalid_client', 'Unauthorized');

    if (form.grant_type === 'authorization_code') {
      const lookup = ledger.redeemCode(form.code);
      if (!lookup.ok) {
        return tokenError(
          400,
          'invalid_grant',
          lookup.reason === 'unknown' ? 'Malformed auth code.' : 'Bad Request',
        );
      }
      const code = lookup.code;
      if (code.clientId !== clientId) return tokenError(400, 'invalid_grant', 'Bad Request');
      if (form.redirect_uri !== code.redirectUri)
        return tokenError(400, 'redirect_uri_mismatch', 'Bad Request');
      const pkce = checkPkce(code.codeChallenge, code.codeChallengeMethod, form.code_verifier);
      if (pkce === 'missing-verifier')
        return tokenError(400, 'invalid_grant', 'Missing code verifier.');
      if (pkce !== 'ok') return tokenError(400, 'invalid_grant', 'Invalid code verifier.');
      const grant = {
        user: code.user,
        clientId,
        grantId: randomToken('grant-', 8),
        scope: code.scope,
        ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
      };
      const access = ledger.issueToken(
        'access',
        grant,
        randomToken('ya29.a0', 48),
        fake.accessTokenTtl,
      );
      const refresh = ledger.issueToken('refresh', grant, randomToken('1//0g', 48), null);
      return jsonReply(200, {
        access_token: access.value,
        expires_in: fake.accessTokenTtl,
        refresh_token: refresh.value,
        scope: code.scope.join(' '),
        token_type: 'Bearer',
        ...(code.scope.includes('openid') ? { id_token: idTokenFor(grant) } : {}),
      });
    }

    if (form.grant_type === 'refresh_token') {
      const refresh = ledger.active(form.refresh_token, 'refresh');
      if (refresh === undefined || refresh.clientId !== clientId) {
        return tokenError(400, 'invalid_grant', 'Token has been expired or revoked.');
      }
      // No nonce on refreshed ID tokens: there was no authorization request to echo it from.
      const grant = {
        user: refresh.user,
        clientId,
        grantId: refresh.grantId,
        scope: refresh.scope,
      };
      const access = ledger.issueToken(
        'access',
        grant,
        randomToken('ya29.a0', 48),
        fake.accessTokenTtl,
      );
      return jsonReply(200, {
        access_token: access.value,
        expires_in: fake.accessTokenTtl,
        scope: refresh.scope.join(' '),
        token_type: 'Bearer',
        ...(refresh.scope.includes('openid') ? { id_token: idTokenFor(grant) } : {}),
      });
    }

    return tokenError(
      400,
      'unsupported_grant_type',
      `Invalid grant_type: ${form.grant_type ?? ''}`,
    );
  };

  const revoke = (request: RecordedRequest): Reply => {
    const value = request.form.token ?? request.query.token;
    const token = ledger.active(value);
    if (token === undefined) return tokenError(400, 'invalid_token', 'Token expired or revoked');
    ledger.revokeGrant(token.grantId);
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '',
    };
  };

  const userinfo = (request: RecordedRequest): Reply => {
    const token = ledger.active(bearerToken(request), 'access');
    if (token === undefined) {
      return jsonReply(
        401,
        { error: 'invalid_request', error_description: 'Invalid Credentials' },
        {
          'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
        },
      );
    }
    const user = userFor(token.user);
    return jsonReply(200, {
      sub: user.sub,
      ...(hasScope(token.scope, 'profile') ? { name: user.name, given_name: user.name } : {}),
      ...(hasScope(token.scope, 'email') ? { email: user.email, email_verified: true } : {}),
    });
  };

  const discovery = (): Reply =>
    jsonReply(200, {
      issuer: base,
      authorization_endpoint: fake.endpoints.authorization,
      token_endpoint: fake.endpoints.token,
      userinfo_endpoint: fake.endpoints.userinfo,
      revocation_endpoint: fake.endpoints.revocation,
      jwks_uri: fake.endpoints.jwks,
      response_types_supported: [
        'code',
        'token',
        'id_token',
        'code token',
        'code id_token',
        'none',
      ],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['aud', 'email', 'email_verified', 'exp', 'iat', 'iss', 'name', 'sub'],
      code_challenge_methods_supported: ['plain', 'S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });

  const handle = (request: RecordedRequest, res: ServerResponse): void => {
    const route = `${request.method} ${request.path}`;
    switch (route) {
      case `GET ${GOOGLE_PATHS.authorization}`:
        return sendReply(res, authorize(request));
      case `POST ${GOOGLE_PATHS.token}`:
        return answerWithFaults(fake, res, () => tokens(request));
      case `POST ${GOOGLE_PATHS.revocation}`:
        return sendReply(res, revoke(request));
      case `GET ${GOOGLE_PATHS.userinfo}`:
      case `POST ${GOOGLE_PATHS.userinfo}`:
        return sendReply(res, userinfo(request));
      case `GET ${GOOGLE_PATHS.discovery}`:
        return sendReply(res, discovery());
      case `GET ${GOOGLE_PATHS.jwks}`:
        return sendReply(res, jsonReply(200, signer.jwks));
      default:
        return sendReply(res, htmlReply(404, '<h1>404. That’s an error.</h1>'));
    }
  };

  const server = await startFakeHttpServer(handle);
  base = server.url;
  const fake: FakeGoogle = {
    url: server.url,
    endpoints: {
      authorization: `${base}${GOOGLE_PATHS.authorization}`,
      token: `${base}${GOOGLE_PATHS.token}`,
      revocation: `${base}${GOOGLE_PATHS.revocation}`,
      userinfo: `${base}${GOOGLE_PATHS.userinfo}`,
      jwks: `${base}${GOOGLE_PATHS.jwks}`,
      discovery: `${base}${GOOGLE_PATHS.discovery}`,
    },
    clientId: options.clientId ?? '123456789012-testclient.apps.googleusercontent.com',
    clientSecret: options.clientSecret ?? 'GOCSPX-test-desktop-secret',
    requests: server.requests,
    authorizationRequests,
    errors: server.errors,
    fault: null,
    faultOnce: false,
    accessTokenTtl: options.accessTokenTtl ?? 3599,
    idTokenIssuer: undefined,
    nextUser: 'alice',
    nextOutcome: 'approve',
    userFor,
    createCode: (user, code) =>
      issueCode(user, { ...code, clientId: code.clientId ?? fake.clientId }),
    isAccessTokenActive: (token) => Promise.resolve(ledger.active(token, 'access') !== undefined),
    isRefreshTokenActive: (token) => Promise.resolve(ledger.active(token, 'refresh') !== undefined),
    tokenRequests: () =>
      server.requests.filter((r) => r.method === 'POST' && r.path === GOOGLE_PATHS.token),
    stop: () => server.stop(),
  };
  return fake;
};
