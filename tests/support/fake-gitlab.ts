/**
 * A local stand-in for GitLab as an OAuth 2.0 / OpenID Connect provider (gitlab.com, or a
 * self-managed GitLab under a path of its own), answering as GitLab's documentation
 * (doc/api/oauth2.md, doc/integration/openid_connect_provider.md) and its Doorkeeper setup say
 * (docs/PROVIDERS.md, "GitLab"):
 * - the authorization endpoint shows a consent page ("Authorize <app>") that POSTs its form back
 *   to /oauth/authorize; only trusted instance-wide apps skip it. Loopback redirect URIs match
 *   the registered one on any port (RFC 8252 §7.3), anything else exactly;
 * - requested scopes must be among the application's (`invalid_scope` otherwise); PKCE S256;
 * - access tokens last 7200 s and come with a refresh token; a refresh invalidates both the old
 *   access token and the old refresh token (rotation), and the spent one gets `invalid_grant`;
 * - a public application ("Confidential" unticked) needs no secret; a confidential one does;
 * - /oauth/revoke authenticates the client (HTTP 401 `invalid_client` otherwise), accepts a
 *   public client by its `client_id` alone, answers 200 `{}` for an unknown token (RFC 7009), and
 *   refuses another application's token (403 `unauthorized_client`); an access token and its
 *   refresh token are one record, so revoking either ends both;
 * - ID tokens are RS256 with `sub` the numeric user ID, `email`, `email_verified`, `sub_legacy`
 *   and `groups_direct`; the profile claims (name, nickname...) come from /oauth/userinfo;
 * - /.well-known/openid-configuration names the issuer: the instance's URL, without slash.
 */
import { randomBytes } from 'node:crypto';
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

export const GITLAB_PATHS = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  revocation: '/oauth/revoke',
  userinfo: '/oauth/userinfo',
  jwks: '/oauth/discovery/keys',
  discovery: '/.well-known/openid-configuration',
} as const;

/** GitLab's access-token lifetime (Doorkeeper's `access_token_expires_in 7200`). */
export const GITLAB_ACCESS_TOKEN_TTL = 7200;

export interface FakeGitLabOptions {
  /** A self-managed GitLab's relative URL root, e.g. `/gitlab` (none for gitlab.com). */
  readonly pathPrefix?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** "Confidential" ticked: the token and revoke endpoints need the secret. Default false. */
  readonly confidential?: boolean;
  /** The application's redirect URI as registered. */
  readonly redirectUri?: string;
  /** The application's scopes; a request for any other is refused. */
  readonly scopes?: readonly string[];
}

export interface FakeGitLabUser {
  readonly login: string;
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export interface FakeGitLab extends FaultSwitch {
  /** The instance's URL (with its path prefix): its issuer and the base of every endpoint. */
  readonly url: string;
  readonly endpoints: { readonly [K in keyof typeof GITLAB_PATHS]: string };
  readonly clientId: string;
  readonly clientSecret: string;
  readonly requests: readonly RecordedRequest[];
  readonly authorizationRequests: readonly Readonly<Record<string, string>>[];
  /** Consent pages shown, and the approvals posted back from them. */
  readonly consentPages: number;
  readonly approvals: number;
  /** Every revocation request and what the fake answered. */
  readonly revocations: readonly { readonly form: Record<string, string>; status: number }[];
  readonly errors: string[];
  fault: FaultMode | null;
  faultOnce: boolean;
  /** Seconds, for tokens issued from now on. */
  accessTokenTtl: number;
  nextUser: string;
  userFor(login: string): FakeGitLabUser;
  isAccessTokenActive(token: string): Promise<boolean>;
  isRefreshTokenActive(token: string): Promise<boolean>;
  tokenRequests(): readonly RecordedRequest[];
  stop(): Promise<void>;
}

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'read_user', 'api', 'read_api'];

const INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';
const INVALID_CLIENT =
  'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.';

const oauthError = (status: number, error: string, description: string): Reply =>
  jsonReply(status, { error, error_description: description });

const LOOPBACK = new Set(['127.0.0.1', '[::1]']);

/** Doorkeeper's match: exact, or for a loopback IP the same URI on any port (RFC 8252 §7.3). */
const redirectMatches = (requested: string, registered: string): boolean => {
  if (requested === registered) return true;
  const a = URL.parse(requested);
  const b = URL.parse(registered);
  if (a === null || b === null || !LOOPBACK.has(a.hostname)) return false;
  return (
    a.protocol === b.protocol &&
    a.hostname === b.hostname &&
    a.pathname === b.pathname &&
    a.search === b.search
  );
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const startFakeGitLab = async (options: FakeGitLabOptions = {}): Promise<FakeGitLab> => {
  const prefix = options.pathPrefix ?? '';
  const ledger = new FakeLedger();
  const signer = createRs256Signer();
  const users = new Map<string, FakeGitLabUser>();
  const authorizationRequests: Record<string, string>[] = [];
  const revocations: { form: Record<string, string>; status: number }[] = [];
  const appScopes = options.scopes ?? DEFAULT_SCOPES;
  const registered = options.redirectUri ?? 'http://127.0.0.1/callback/gitlab';
  const confidential = options.confidential ?? false;
  let consentPages = 0;
  let approvals = 0;
  let base = '';

  const userFor = (login: string): FakeGitLabUser => {
    const known = users.get(login);
    if (known) return known;
    const user = {
      login,
      id: stableDigits(`gitlab:${login}`, 8),
      name: `${login.charAt(0).toUpperCase()}${login.slice(1)} Example`,
      email: `${login}@gitlab.example`,
    };
    users.set(login, user);
    return user;
  };

  /** The ID token: only these claims (the rest is user-info's). */
  const idTokenFor = (token: Pick<IssuedToken, 'user' | 'clientId' | 'nonce'>): string => {
    const user = userFor(token.user);
    const iat = Math.floor(Date.now() / 1000);
    return signer.sign({
      iss: base,
      sub: user.id,
      aud: token.clientId,
      exp: iat + 120,
      iat,
      auth_time: iat,
      sub_legacy: randomBytes(32).toString('hex'),
      email: user.email,
      email_verified: true,
      groups_direct: [],
      ...(token.nonce === undefined ? {} : { nonce: token.nonce }),
    });
  };

  /** The client of a token or revoke request: Basic or the form, secret needed if confidential. */
  const clientOf = (request: RecordedRequest): 'ok' | 'unknown' => {
    const basic = basicCredentials(request);
    const id = basic?.id ?? request.form.client_id;
    const secret = basic?.secret ?? request.form.client_secret;
    if (id !== fake.clientId) return 'unknown';
    if (secret !== undefined && secret !== fake.clientSecret) return 'unknown';
    if (confidential && secret === undefined) return 'unknown';
    return 'ok';
  };

  /** Checks the authorization request; an error reply, or undefined when it may go on. */
  const refuseAuthorization = (q: Readonly<Record<string, string>>): Reply | undefined => {
    if (q.client_id !== fake.clientId || q.redirect_uri === undefined)
      return htmlReply(401, `<h1>An error has occurred</h1><p>${escapeHtml(INVALID_CLIENT)}</p>`);
    if (!redirectMatches(q.redirect_uri, registered))
      return htmlReply(
        400,
        '<h1>An error has occurred</h1><p>The redirect URI included is not valid.</p>',
      );
    const back = (error: string, description: string): Reply => {
      const callback = new URL(q.redirect_uri ?? '');
      callback.searchParams.set('error', error);
      callback.searchParams.set('error_description', description);
      if (q.state !== undefined) callback.searchParams.set('state', q.state);
      return redirectReply(callback.href);
    };
    if (q.response_type !== 'code')
      return back(
        'unsupported_response_type',
        'The authorization server does not support this response type.',
      );
    const scope = (q.scope ?? '').split(' ').filter((s) => s !== '');
    if (scope.length === 0 || scope.some((s) => !appScopes.includes(s)))
      return back('invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    if (q.code_challenge_method !== undefined && q.code_challenge_method !== 'S256')
      return back('invalid_request', 'Code challenge method is not supported.');
    return undefined;
  };

  const AUTHORIZATION_FIELDS = [
    'client_id',
    'redirect_uri',
    'state',
    'response_type',
    'scope',
    'nonce',
    'code_challenge',
    'code_challenge_method',
  ] as const;

  /** GitLab's "Authorize <app> to use your account?" page: a form posted back on Authorize. */
  const consentPage = (q: Readonly<Record<string, string>>): Reply => {
    consentPages += 1;
    const hidden = AUTHORIZATION_FIELDS.filter((name) => q[name] !== undefined)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(q[name] ?? '')}">`)
      .join('\n');
    return htmlReply(
      200,
      `<!DOCTYPE html><html><head><title>Authorize application · GitLab</title></head><body>
<h3>Authorize Tokendesk to use your account?</h3>
<form method="post" action="${prefix}${GITLAB_PATHS.authorization}">
<input type="hidden" name="authenticity_token" value="${randomBytes(16).toString('hex')}">
${hidden}
<button type="submit" name="commit" value="Authorize">Authorize</button>
</form></body></html>`,
    );
  };

  const approve = (q: Readonly<Record<string, string>>): Reply => {
    const refused = refuseAuthorization(q);
    if (refused) return refused;
    approvals += 1;
    const code = ledger.issueCode(
      {
        user: fake.nextUser,
        clientId: fake.clientId,
        redirectUri: q.redirect_uri ?? '',
        scope: (q.scope ?? '').split(' ').filter((s) => s !== ''),
        ...(q.code_challenge === undefined
          ? {}
          : { codeChallenge: q.code_challenge, codeChallengeMethod: 'S256' }),
        ...(q.nonce === undefined ? {} : { nonce: q.nonce }),
      },
      randomBytes(32).toString('hex'),
    );
    const callback = new URL(q.redirect_uri ?? '');
    callback.searchParams.set('code', code.value);
    if (q.state !== undefined) callback.searchParams.set('state', q.state);
    return redirectReply(callback.href);
  };

  const issuePair = (
    grant: Pick<IssuedToken, 'user' | 'clientId' | 'scope' | 'nonce'>,
    withIdToken: boolean,
  ): Reply => {
    const tokenGrant = { ...grant, grantId: randomToken('grant-', 8) };
    const access = ledger.issueToken(
      'access',
      tokenGrant,
      randomBytes(32).toString('hex'),
      fake.accessTokenTtl,
    );
    const refresh = ledger.issueToken('refresh', tokenGrant, randomBytes(32).toString('hex'), null);
    return jsonReply(200, {
      access_token: access.value,
      token_type: 'Bearer',
      expires_in: fake.accessTokenTtl,
      refresh_token: refresh.value,
      scope: grant.scope.join(' '),
      created_at: Math.floor(Date.now() / 1000),
      ...(withIdToken && grant.scope.includes('openid') ? { id_token: idTokenFor(grant) } : {}),
    });
  };

  const tokens = (request: RecordedRequest): Reply => {
    const form = request.form;
    if (clientOf(request) !== 'ok') return oauthError(401, 'invalid_client', INVALID_CLIENT);
    if (form.grant_type === 'authorization_code') {
      const lookup = ledger.redeemCode(form.code);
      if (!lookup.ok) return oauthError(400, 'invalid_grant', INVALID_GRANT);
      const code = lookup.code;
      if (form.redirect_uri !== code.redirectUri)
        return oauthError(400, 'invalid_grant', INVALID_GRANT);
      if (checkPkce(code.codeChallenge, code.codeChallengeMethod, form.code_verifier) !== 'ok')
        return oauthError(400, 'invalid_grant', INVALID_GRANT);
      return issuePair(
        {
          user: code.user,
          clientId: code.clientId,
          scope: code.scope,
          ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
        },
        true,
      );
    }
    if (form.grant_type === 'refresh_token') {
      const refresh = ledger.active(form.refresh_token, 'refresh');
      if (refresh === undefined || refresh.clientId !== fake.clientId)
        return oauthError(400, 'invalid_grant', INVALID_GRANT);
      // Rotation: the old access token and the old refresh token both end here.
      ledger.revokeGrant(refresh.grantId);
      return issuePair(
        { user: refresh.user, clientId: refresh.clientId, scope: refresh.scope },
        false,
      );
    }
    return oauthError(
      400,
      'unsupported_grant_type',
      'The authorization grant type is not supported by the authorization server.',
    );
  };

  const revoke = (request: RecordedRequest): Reply => {
    const answer = (reply: Reply): Reply => {
      revocations.push({ form: { ...request.form }, status: reply.status });
      return reply;
    };
    if (clientOf(request) !== 'ok')
      return answer(oauthError(401, 'invalid_client', INVALID_CLIENT));
    const value = request.form.token;
    const token = value === undefined ? undefined : ledger.tokens.get(value);
    // Unknown or already revoked: 200 all the same (RFC 7009 §2.2).
    if (token === undefined) return answer(jsonReply(200, {}));
    if (token.clientId !== fake.clientId)
      return answer(
        oauthError(403, 'unauthorized_client', 'You are not authorized to revoke this token'),
      );
    ledger.revokeGrant(token.grantId);
    return answer(jsonReply(200, {}));
  };

  const userinfo = (request: RecordedRequest): Reply => {
    const token = ledger.active(bearerToken(request), 'access');
    if (token === undefined) {
      return jsonReply(
        401,
        { error: 'invalid_token', error_description: 'The access token is invalid' },
        {
          'www-authenticate':
            'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"',
        },
      );
    }
    const user = userFor(token.user);
    return jsonReply(200, {
      sub: user.id,
      sub_legacy: randomBytes(32).toString('hex'),
      name: user.name,
      nickname: user.login,
      preferred_username: user.login,
      email: user.email,
      email_verified: true,
      profile: `${base}/${user.login}`,
      picture: `${base}/uploads/-/system/user/avatar/${user.id}/avatar.png`,
      groups: [],
    });
  };

  const discovery = (): Reply =>
    jsonReply(200, {
      issuer: base,
      authorization_endpoint: fake.endpoints.authorization,
      token_endpoint: fake.endpoints.token,
      revocation_endpoint: fake.endpoints.revocation,
      introspection_endpoint: `${base}/oauth/introspect`,
      userinfo_endpoint: fake.endpoints.userinfo,
      jwks_uri: fake.endpoints.jwks,
      scopes_supported: appScopes,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claim_types_supported: ['normal'],
      claims_supported: [
        'iss',
        'sub',
        'aud',
        'exp',
        'iat',
        'sub_legacy',
        'name',
        'nickname',
        'preferred_username',
        'email',
        'email_verified',
        'website',
        'profile',
        'picture',
        'groups',
        'groups_direct',
      ],
      code_challenge_methods_supported: ['plain', 'S256'],
    });

  const handle = (request: RecordedRequest, res: ServerResponse): void => {
    if (!request.path.startsWith(`${prefix}/`)) {
      return sendReply(res, htmlReply(404, '<h1>404 Page Not Found</h1>'));
    }
    const path = request.path.slice(prefix.length);
    switch (`${request.method} ${path}`) {
      case `GET ${GITLAB_PATHS.authorization}`: {
        authorizationRequests.push({ ...request.query });
        return sendReply(res, refuseAuthorization(request.query) ?? consentPage(request.query));
      }
      case `POST ${GITLAB_PATHS.authorization}`:
        return sendReply(res, approve(request.form));
      case `POST ${GITLAB_PATHS.token}`:
        return answerWithFaults(fake, res, () => tokens(request));
      case `POST ${GITLAB_PATHS.revocation}`:
        return sendReply(res, revoke(request));
      case `GET ${GITLAB_PATHS.userinfo}`:
      case `POST ${GITLAB_PATHS.userinfo}`:
        return sendReply(res, userinfo(request));
      case `GET ${GITLAB_PATHS.discovery}`:
        return sendReply(res, discovery());
      case `GET ${GITLAB_PATHS.jwks}`:
        return sendReply(res, jsonReply(200, signer.jwks));
      default:
        return sendReply(res, htmlReply(404, '<h1>404 Page Not Found</h1>'));
    }
  };

  const server = await startFakeHttpServer(handle);
  base = `${server.url}${prefix}`;
  const fake: FakeGitLab = {
    url: base,
    endpoints: {
      authorization: `${base}${GITLAB_PATHS.authorization}`,
      token: `${base}${GITLAB_PATHS.token}`,
      revocation: `${base}${GITLAB_PATHS.revocation}`,
      userinfo: `${base}${GITLAB_PATHS.userinfo}`,
      jwks: `${base}${GITLAB_PATHS.jwks}`,
      discovery: `${base}${GITLAB_PATHS.discovery}`,
    },
    clientId: options.clientId ?? randomBytes(32).toString('hex'),
    clientSecret: options.clientSecret ?? `gloas-${randomBytes(32).toString('hex')}`,
    requests: server.requests,
    authorizationRequests,
    get consentPages() {
      return consentPages;
    },
    get approvals() {
      return approvals;
    },
    revocations,
    errors: server.errors,
    fault: null,
    faultOnce: false,
    accessTokenTtl: GITLAB_ACCESS_TOKEN_TTL,
    nextUser: 'sidney',
    userFor,
    isAccessTokenActive: (token) => Promise.resolve(ledger.active(token, 'access') !== undefined),
    isRefreshTokenActive: (token) => Promise.resolve(ledger.active(token, 'refresh') !== undefined),
    tokenRequests: () =>
      server.requests.filter(
        (r) => r.method === 'POST' && r.path === `${prefix}${GITLAB_PATHS.token}`,
      ),
    stop: () => server.stop(),
  };
  return fake;
};
