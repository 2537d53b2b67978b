/**
 * A local stand-in for GitHub's OAuth web flow and the REST endpoints the app uses, answering as
 * GitHub's documentation says (docs/PROVIDERS.md, "GitHub"):
 * - the token endpoint answers JSON only with `Accept: application/json`, form-encoded otherwise;
 * - errors come back with HTTP 200 (`bad_verification_code`, `incorrect_client_credentials`,
 *   `bad_refresh_token`, ...), and scopes are comma-separated;
 * - OAuth App tokens (`gho_`) never expire, unless the app opted in to expiring user tokens or
 *   the sign-in asked for `offline_access`; GitHub App user tokens (`ghu_`) expire unless the app
 *   opted out. Expiring tokens last 8 h (`expires_in: 28800`) and come with a refresh token
 *   (`ghr_`, `refresh_token_expires_in: 15897600`); a refresh invalidates the old access AND
 *   refresh token, and the old refresh token is then refused (`bad_refresh_token`, HTTP 200);
 * - GET /user needs a User-Agent (403 without) and answers a numeric `id` (stable) and `login`;
 * - revocation is DELETE /applications/{client_id}/token (or /grant) with Basic client auth and
 *   a *valid* access token (404 for an expired or unknown one). /token ends that access token
 *   only (GitHub documents nothing more, so a refresh token stays valid here); /grant ends every
 *   token of the user's grant to the app, refresh tokens included.
 * One server plays both github.com and api.github.com.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { answerWithFaults, type FaultMode, type FaultSwitch } from './fault';
import { FakeLedger, randomToken, stableDigits } from './fake-ledger';
import {
  basicCredentials,
  bearerToken,
  formReply,
  htmlReply,
  jsonReply,
  redirectReply,
  sendReply,
  startFakeHttpServer,
  textReply,
  type RecordedRequest,
  type Reply,
} from './fake-server';
import { checkPkce } from './pkce-check';

export const GITHUB_PATHS = {
  authorization: '/login/oauth/authorize',
  token: '/login/oauth/access_token',
  user: '/user',
} as const;

const DOCS =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

export interface FakeGitHubOptions {
  /** Whether user tokens expire (and come with a refresh token). */
  readonly expiring: boolean;
  /**
   * The kind of app. Absent: a GitHub App when tokens expire, an OAuth App otherwise (the
   * defaults of each on GitHub).
   */
  readonly kind?: FakeGitHubKind;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** The registered callback URL; when set, its host and path must match (any loopback port). */
  readonly callbackUrl?: string;
}

export interface FakeGitHubUser {
  readonly id: number;
  readonly login: string;
  readonly name: string;
  readonly email: string;
}

export interface FakeGitHubCodeOptions {
  readonly redirectUri?: string;
  readonly scope?: readonly string[];
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256' | 'plain';
}

export type TokenResponseFormat = 'json' | 'form';

/** OAuth App: `gho_` tokens with OAuth scopes; GitHub App: `ghu_` tokens with no scopes. */
export type FakeGitHubKind = 'oauth-app' | 'github-app';

/** GitHub's refresh-token lifetime, as its token endpoint answers it today (184 days). */
export const GITHUB_REFRESH_TOKEN_TTL = 15_897_600;

export interface FakeGitHub extends FaultSwitch {
  /** Base URL of both the "github.com" and the "api.github.com" endpoints. */
  readonly url: string;
  readonly endpoints: {
    readonly authorization: string;
    readonly token: string;
    readonly user: string;
    /** The `apiBase` of the app's github-api revocation method. */
    readonly apiBase: string;
  };
  readonly clientId: string;
  readonly clientSecret: string;
  readonly requests: readonly RecordedRequest[];
  readonly authorizationRequests: readonly Readonly<Record<string, string>>[];
  /** The format of every token-endpoint answer, in order: did the app ask for JSON? */
  readonly tokenResponseFormats: readonly TokenResponseFormat[];
  /** User-Agent header of every API request (undefined when absent). */
  readonly userAgents: readonly (string | undefined)[];
  readonly errors: readonly string[];
  fault: FaultMode | null;
  faultOnce: boolean;
  readonly kind: FakeGitHubKind;
  /** Whether the app issues expiring user tokens (an OAuth App's opt-in, a GitHub App's default). */
  expiring: boolean;
  /**
   * When true, token answers are form-encoded whatever the Accept header says (what a client gets
   * when a proxy drops the header): the app must cope with GitHub's default format too.
   */
  ignoreAccept: boolean;
  /** Access-token lifetime in seconds for expiring tokens (GitHub's is 28800). */
  accessTokenTtl: number;
  nextUser: string;
  nextOutcome: 'approve' | 'deny';
  userFor(login: string): FakeGitHubUser;
  createCode(user: string, options?: FakeGitHubCodeOptions): string;
  isAccessTokenActive(token: string): Promise<boolean>;
  isRefreshTokenActive(token: string): Promise<boolean>;
  tokenRequests(): readonly RecordedRequest[];
  stop(): Promise<void>;
}

const githubError = (error: string, description: string): Record<string, string> => ({
  error,
  error_description: description,
  error_uri: `${DOCS}#${error.replaceAll('_', '-')}`,
});

const isLoopback = (url: URL): boolean =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export const startFakeGitHub = async (options: FakeGitHubOptions): Promise<FakeGitHub> => {
  const kind = options.kind ?? (options.expiring ? 'github-app' : 'oauth-app');
  const ledger = new FakeLedger();
  const authorizationRequests: Record<string, string>[] = [];
  const tokenResponseFormats: TokenResponseFormat[] = [];
  const userAgents: (string | undefined)[] = [];
  const users = new Map<string, FakeGitHubUser>([
    [
      'octocat',
      { id: 12345, login: 'octocat', name: 'The Octocat', email: 'octocat@github.example' },
    ],
  ]);

  const userFor = (login: string): FakeGitHubUser => {
    const known = users.get(login);
    if (known) return known;
    const user = {
      id: Number(stableDigits(`github:${login}`, 8)),
      login,
      name: login,
      email: `${login}@github.example`,
    };
    users.set(login, user);
    return user;
  };

  const issueCode = (login: string, code: FakeGitHubCodeOptions): string =>
    ledger.issueCode(
      {
        user: login,
        clientId: fake.clientId,
        redirectUri: code.redirectUri ?? '',
        scope: code.scope ?? [],
        ...(code.codeChallenge === undefined
          ? {}
          : {
              codeChallenge: code.codeChallenge,
              codeChallengeMethod: code.codeChallengeMethod ?? 'plain',
            }),
      },
      // GitHub's codes are 20 hex characters.
      randomBytes(10).toString('hex'),
    ).value;

  /** GitHub's token answer: JSON when asked for, form-encoded by default (even for errors). */
  const tokenAnswer = (
    request: RecordedRequest,
    fields: Readonly<Record<string, string | number>>,
  ): Reply => {
    const wantsJson =
      !fake.ignoreAccept && request.headers.accept?.includes('application/json') === true;
    tokenResponseFormats.push(wantsJson ? 'json' : 'form');
    if (wantsJson) return jsonReply(200, fields);
    return formReply(
      200,
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
    );
  };

  const authorize = (request: RecordedRequest): Reply => {
    const q = request.query;
    authorizationRequests.push({ ...q });
    if (q.client_id !== fake.clientId)
      return htmlReply(404, '<h1>404 “This is not the web page you are looking for”</h1>');
    const requested = URL.parse(q.redirect_uri ?? options.callbackUrl ?? '');
    const registered = options.callbackUrl === undefined ? undefined : new URL(options.callbackUrl);
    const matches =
      requested !== null &&
      (registered === undefined
        ? isLoopback(requested)
        : requested.hostname === registered.hostname &&
          requested.pathname === registered.pathname &&
          (isLoopback(requested) || requested.port === registered.port));
    if (!matches || requested === null) {
      // GitHub sends the user to the *registered* callback with the error.
      if (registered === undefined)
        return htmlReply(400, '<h1>The redirect_uri is not valid.</h1>');
      const back = new URL(registered.href);
      for (const [k, v] of Object.entries(
        githubError(
          'redirect_uri_mismatch',
          'The redirect_uri MUST match the registered callback URL for this application.',
        ),
      ))
        back.searchParams.set(k, v);
      if (q.state !== undefined) back.searchParams.set('state', q.state);
      return redirectReply(back.href);
    }
    const callback = new URL(requested.href);
    if (fake.nextOutcome === 'deny') {
      fake.nextOutcome = 'approve';
      for (const [k, v] of Object.entries(
        githubError('access_denied', 'The user has denied your application access.'),
      ))
        callback.searchParams.set(k, v);
    } else {
      const scope = (q.scope ?? '').split(/[ ,]+/).filter((s) => s !== '');
      callback.searchParams.set(
        'code',
        issueCode(q.login ?? fake.nextUser, {
          redirectUri: requested.href,
          scope,
          ...(q.code_challenge === undefined
            ? {}
            : {
                codeChallenge: q.code_challenge,
                codeChallengeMethod: q.code_challenge_method === 'S256' ? 'S256' : 'plain',
              }),
        }),
      );
    }
    if (q.state !== undefined) callback.searchParams.set('state', q.state);
    return redirectReply(callback.href);
  };

  /**
   * `expiring`: the app's setting, or (an OAuth App) a sign-in that asked for `offline_access`;
   * a refresh keeps what the grant was.
   */
  const issueTokens = (
    request: RecordedRequest,
    user: string,
    scope: readonly string[],
    expiring: boolean,
  ): Reply => {
    const grant = { user, clientId: fake.clientId, grantId: randomToken('grant-', 8), scope };
    const oauthApp = fake.kind === 'oauth-app';
    // GitHub App user tokens carry no OAuth scopes: permissions come from the app.
    const granted = oauthApp ? scope.filter((s) => s !== 'offline_access').join(',') : '';
    const prefix = oauthApp ? 'gho_' : 'ghu_';
    if (!expiring) {
      const access = ledger.issueToken('access', grant, randomToken(prefix, 27), null);
      return tokenAnswer(request, {
        access_token: access.value,
        token_type: 'bearer',
        scope: granted,
      });
    }
    const access = ledger.issueToken('access', grant, randomToken(prefix, 27), fake.accessTokenTtl);
    const refresh = ledger.issueToken(
      'refresh',
      grant,
      randomToken('ghr_', 56),
      GITHUB_REFRESH_TOKEN_TTL,
    );
    return tokenAnswer(request, {
      access_token: access.value,
      expires_in: fake.accessTokenTtl,
      refresh_token: refresh.value,
      refresh_token_expires_in: GITHUB_REFRESH_TOKEN_TTL,
      token_type: 'bearer',
      scope: granted,
    });
  };

  const tokens = (request: RecordedRequest): Reply => {
    // GitHub reads parameters from the query string too.
    const form = { ...request.query, ...request.form };
    if (form.client_id !== fake.clientId || form.client_secret !== fake.clientSecret) {
      return tokenAnswer(
        request,
        githubError(
          'incorrect_client_credentials',
          'The client_id and/or client_secret passed are incorrect.',
        ),
      );
    }
    if (form.grant_type === 'refresh_token') {
      // Spent (rotated away), revoked, expired or unknown: all refused alike.
      const refresh = ledger.active(form.refresh_token, 'refresh');
      if (refresh === undefined) {
        return tokenAnswer(
          request,
          githubError('bad_refresh_token', 'The refresh token passed is incorrect or expired.'),
        );
      }
      // A refresh spends the old pair: both the access and the refresh token die.
      ledger.revokeGrant(refresh.grantId);
      return issueTokens(request, refresh.user, refresh.scope, true);
    }
    if (form.grant_type !== undefined && form.grant_type !== 'authorization_code') {
      return tokenAnswer(
        request,
        githubError(
          'unsupported_grant_type',
          `The grant type ${form.grant_type} is not supported.`,
        ),
      );
    }
    const lookup = ledger.redeemCode(form.code);
    if (!lookup.ok)
      return tokenAnswer(
        request,
        githubError('bad_verification_code', 'The code passed is incorrect or expired.'),
      );
    const code = lookup.code;
    if (form.redirect_uri !== undefined && code.redirectUri !== '') {
      const sent = URL.parse(form.redirect_uri);
      const issued = new URL(code.redirectUri);
      if (sent === null || sent.hostname !== issued.hostname || sent.pathname !== issued.pathname) {
        return tokenAnswer(
          request,
          githubError(
            'redirect_uri_mismatch',
            'The redirect_uri MUST match the registered callback URL for this application.',
          ),
        );
      }
    }
    if (checkPkce(code.codeChallenge, code.codeChallengeMethod, form.code_verifier) !== 'ok') {
      return tokenAnswer(
        request,
        githubError('bad_verification_code', 'The code passed is incorrect or expired.'),
      );
    }
    const offline = fake.kind === 'oauth-app' && code.scope.includes('offline_access');
    return issueTokens(request, code.user, code.scope, fake.expiring || offline);
  };

  const getUser = (request: RecordedRequest): Reply => {
    const agent = request.headers['user-agent'];
    if (agent === undefined || agent === '') {
      return textReply(
        403,
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n',
      );
    }
    const token = ledger.active(bearerToken(request), 'access');
    if (token === undefined) {
      return jsonReply(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    const user = userFor(token.user);
    return jsonReply(
      200,
      {
        login: user.login,
        id: user.id,
        node_id: `U_${user.id}`,
        type: 'User',
        name: user.name,
        email: user.email,
      },
      fake.kind === 'oauth-app'
        ? { 'x-oauth-scopes': token.scope.filter((s) => s !== 'offline_access').join(', ') }
        : {},
    );
  };

  const deleteToken = (
    request: RecordedRequest,
    clientId: string,
    what: 'token' | 'grant',
  ): Reply => {
    const basic = basicCredentials(request);
    if (
      basic === undefined ||
      basic.id !== clientId ||
      basic.id !== fake.clientId ||
      basic.secret !== fake.clientSecret
    ) {
      return jsonReply(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    const token = ledger.active(request.form.access_token, 'access');
    if (token === undefined) {
      return jsonReply(404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      });
    }
    if (what === 'grant')
      ledger.revokeWhere((t) => t.user === token.user && t.clientId === token.clientId);
    else ledger.revoke(token.value);
    return { status: 204 };
  };

  const handle = (request: RecordedRequest, res: ServerResponse): void => {
    if (request.path.startsWith('/user') || request.path.startsWith('/applications/')) {
      userAgents.push(request.headers['user-agent']);
    }
    const revoke = /^\/applications\/([^/]+)\/(token|grant)$/.exec(request.path);
    if (request.method === 'DELETE' && revoke?.[1] !== undefined) {
      return sendReply(
        res,
        deleteToken(
          request,
          decodeURIComponent(revoke[1]),
          revoke[2] === 'grant' ? 'grant' : 'token',
        ),
      );
    }
    switch (`${request.method} ${request.path}`) {
      case `GET ${GITHUB_PATHS.authorization}`:
        return sendReply(res, authorize(request));
      case `POST ${GITHUB_PATHS.token}`:
        return answerWithFaults(fake, res, () => tokens(request));
      case `GET ${GITHUB_PATHS.user}`:
        return sendReply(res, getUser(request));
      default:
        return sendReply(
          res,
          jsonReply(404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          }),
        );
    }
  };

  const server = await startFakeHttpServer(handle);
  const base = server.url;
  const fake: FakeGitHub = {
    url: base,
    endpoints: {
      authorization: `${base}${GITHUB_PATHS.authorization}`,
      token: `${base}${GITHUB_PATHS.token}`,
      user: `${base}${GITHUB_PATHS.user}`,
      apiBase: base,
    },
    clientId:
      options.clientId ??
      (kind === 'github-app' ? 'Iv23liTestGitHubApp01' : 'Ov23liTestOAuthApp001'),
    clientSecret: options.clientSecret ?? 'test-github-client-secret-0123456789abcdef',
    requests: server.requests,
    authorizationRequests,
    tokenResponseFormats,
    userAgents,
    errors: server.errors,
    fault: null,
    faultOnce: false,
    kind,
    expiring: options.expiring,
    ignoreAccept: false,
    accessTokenTtl: 28_800,
    nextUser: 'octocat',
    nextOutcome: 'approve',
    userFor,
    createCode: (user, code = {}) => issueCode(user, code),
    isAccessTokenActive: (token) => Promise.resolve(ledger.active(token, 'access') !== undefined),
    isRefreshTokenActive: (token) => Promise.resolve(ledger.active(token, 'refresh') !== undefined),
    tokenRequests: () =>
      server.requests.filter((r) => r.method === 'POST' && r.path === GITHUB_PATHS.token),
    stop: () => server.stop(),
  };
  return fake;
};
