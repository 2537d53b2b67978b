/**
 * A local stand-in for Microsoft Entra ID's v2.0 endpoints, answering as Microsoft's documentation
 * says (docs/PROVIDERS.md, "Microsoft Entra ID"):
 * - a public "Mobile and desktop" client: no secret (sending one is refused, AADSTS700025);
 * - a token request carrying an `Origin` header is refused (AADSTS9002326): the exchange must
 *   happen in main, not in the renderer;
 * - a refresh token only with `offline_access`; every refresh returns a new one (the old one stays
 *   valid, as at Entra);
 * - ID tokens name the user's own tenant in `iss` even when the authority was `common` or
 *   `organizations`, whose discovery document says `{tenantid}` literally;
 * - `email` is often absent: the identity is `oid`/`sub`, the display name `preferred_username`.
 * Errors carry Entra's shape (error_codes, trace_id, correlation_id...).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { answerWithFaults, type FaultMode, type FaultSwitch } from './fault';
import { FakeLedger, randomToken, stableGuid, type IssuedToken } from './fake-ledger';
import {
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

/** The tenant Entra uses for personal Microsoft accounts. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
const MULTI_TENANT = new Set(['common', 'organizations']);

export interface FakeMicrosoftOptions {
  readonly clientId?: string;
  /** The tenant of the users signing in through `common`/`organizations`. */
  readonly userTenantId?: string;
  /** Seconds (Entra's vary around 3600-5400). */
  readonly accessTokenTtl?: number;
  /** Whether ID tokens carry `email` when the scope asks for it (many accounts have none). */
  readonly includeEmail?: boolean;
  /** Registered redirect URIs; the port of a loopback URI is ignored. Default: any loopback. */
  readonly redirectUris?: readonly string[];
}

export interface FakeMicrosoftEndpoints {
  /** The discovery base the app's preset uses: `<base>/<tenant>/v2.0`. */
  readonly authority: string;
  readonly authorization: string;
  readonly token: string;
  readonly discovery: string;
  readonly jwks: string;
  readonly userinfo: string;
  readonly graphMe: string;
}

export interface FakeMicrosoftUser {
  readonly login: string;
  readonly oid: string;
  readonly preferredUsername: string;
  readonly name: string;
  readonly email: string;
}

export interface FakeMicrosoftCodeOptions {
  readonly redirectUri: string;
  readonly tenant?: string;
  readonly scope?: readonly string[];
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256' | 'plain';
  readonly nonce?: string;
}

export interface FakeMicrosoft extends FaultSwitch {
  readonly url: string;
  readonly clientId: string;
  readonly userTenantId: string;
  endpointsFor(tenant: string): FakeMicrosoftEndpoints;
  /** The `iss` of ID tokens for sign-ins through this tenant path. */
  idTokenIssuerFor(tenant: string): string;
  readonly requests: readonly RecordedRequest[];
  readonly authorizationRequests: readonly Readonly<Record<string, string>>[];
  readonly errors: readonly string[];
  fault: FaultMode | null;
  faultOnce: boolean;
  accessTokenTtl: number;
  includeEmail: boolean;
  nextUser: string;
  nextOutcome: 'approve' | 'deny';
  userFor(login: string): FakeMicrosoftUser;
  createCode(user: string, options: FakeMicrosoftCodeOptions): string;
  isAccessTokenActive(token: string): Promise<boolean>;
  isRefreshTokenActive(token: string): Promise<boolean>;
  tokenRequests(): readonly RecordedRequest[];
  stop(): Promise<void>;
}

const entraError = (status: number, error: string, code: number, message: string): Reply => {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return jsonReply(status, {
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
};

const isLoopback = (url: URL): boolean =>
  url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

// Entra adds the default Graph permission to a sign-in that asked only for OIDC scopes.
const grantedScope = (requested: readonly string[]): string[] => {
  const visible = requested.filter((s) => s !== 'offline_access');
  return visible.some((s) => !['openid', 'profile', 'email'].includes(s))
    ? visible
    : [...visible, 'https://graph.microsoft.com/User.Read'];
};

export const startFakeMicrosoft = async (
  options: FakeMicrosoftOptions = {},
): Promise<FakeMicrosoft> => {
  const ledger = new FakeLedger();
  const signer = createRs256Signer();
  const authorizationRequests: Record<string, string>[] = [];
  const users = new Map<string, FakeMicrosoftUser>();
  const userTenantId = options.userTenantId ?? stableGuid('tokendesk-test-tenant');
  let base = '';

  const userFor = (login: string): FakeMicrosoftUser => {
    const known = users.get(login);
    if (known) return known;
    const user = {
      login,
      oid: stableGuid(`entra:${login}`),
      preferredUsername: `${login}@contoso.example`,
      name: login,
      email: `${login}@contoso.example`,
    };
    users.set(login, user);
    return user;
  };

  /** The tenant a sign-in lands in: the named one, or the user's own for multi-tenant paths. */
  const signInTenant = (tenant: string): string =>
    tenant === 'consumers' ? CONSUMERS_TENANT_ID : MULTI_TENANT.has(tenant) ? userTenantId : tenant;

  const idTokenIssuerFor = (tenant: string): string => `${base}/${signInTenant(tenant)}/v2.0`;

  const endpointsFor = (tenant: string): FakeMicrosoftEndpoints => ({
    authority: `${base}/${tenant}/v2.0`,
    authorization: `${base}/${tenant}/oauth2/v2.0/authorize`,
    token: `${base}/${tenant}/oauth2/v2.0/token`,
    discovery: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
    jwks: `${base}/${tenant}/discovery/v2.0/keys`,
    userinfo: `${base}/oidc/userinfo`,
    graphMe: `${base}/v1.0/me`,
  });

  const redirectAllowed = (value: string): boolean => {
    const url = URL.parse(value);
    if (url === null) return false;
    if (options.redirectUris === undefined) return isLoopback(url);
    return options.redirectUris.some((registered) => {
      const r = new URL(registered);
      const samePath = r.pathname === url.pathname || (r.pathname === '/' && url.pathname === '/');
      return isLoopback(url) && isLoopback(r)
        ? r.hostname === url.hostname && samePath
        : r.href === url.href;
    });
  };

  // The tenant travels in the code so the ID token names the right one.
  const codeTenants = new Map<string, string>();

  const issueCode = (login: string, tenant: string, code: FakeMicrosoftCodeOptions): string => {
    const value = ledger.issueCode(
      {
        user: login,
        clientId: fake.clientId,
        redirectUri: code.redirectUri,
        scope: code.scope ?? ['openid', 'profile', 'email', 'offline_access'],
        ...(code.codeChallenge === undefined
          ? {}
          : {
              codeChallenge: code.codeChallenge,
              codeChallengeMethod: code.codeChallengeMethod ?? 'plain',
            }),
        ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
      },
      `1.A${randomToken('', 96)}`,
    ).value;
    codeTenants.set(value, tenant);
    return value;
  };

  const idTokenFor = (
    token: Pick<IssuedToken, 'user' | 'scope' | 'nonce'>,
    tenant: string,
  ): string => {
    const user = userFor(token.user);
    const iat = Math.floor(Date.now() / 1000);
    return signer.sign({
      ver: '2.0',
      iss: idTokenIssuerFor(tenant),
      aud: fake.clientId,
      // Entra's sub is pairwise per application; oid is the user across applications.
      sub: stableGuid(`${fake.clientId}:${user.oid}`).replaceAll('-', ''),
      oid: user.oid,
      tid: signInTenant(tenant),
      ...(token.scope.includes('profile')
        ? { name: user.name, preferred_username: user.preferredUsername }
        : {}),
      ...(fake.includeEmail && token.scope.includes('email') ? { email: user.email } : {}),
      ...(token.nonce === undefined ? {} : { nonce: token.nonce }),
      iat,
      nbf: iat,
      exp: iat + 3600,
    });
  };

  const authorize = (tenant: string, request: RecordedRequest): Reply => {
    const q = request.query;
    authorizationRequests.push({ ...q, tenant });
    if (q.client_id !== fake.clientId) {
      return htmlReply(
        400,
        `<h1>Sorry, but we’re having trouble signing you in.</h1><p>AADSTS700016: Application with identifier '${q.client_id ?? ''}' was not found in the directory.</p>`,
      );
    }
    if (q.redirect_uri === undefined || !redirectAllowed(q.redirect_uri)) {
      return htmlReply(
        400,
        `<h1>Sorry, but we’re having trouble signing you in.</h1><p>AADSTS50011: The redirect URI '${q.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application.</p>`,
      );
    }
    const callback = new URL(q.redirect_uri);
    if (fake.nextOutcome === 'deny') {
      fake.nextOutcome = 'approve';
      callback.searchParams.set('error', 'access_denied');
      callback.searchParams.set(
        'error_description',
        'AADSTS65004: User declined to consent to access the app.',
      );
    } else if (q.response_type !== 'code') {
      callback.searchParams.set('error', 'unsupported_response_type');
    } else {
      const scope = (q.scope ?? '').split(' ').filter((s) => s !== '');
      callback.searchParams.set(
        'code',
        issueCode(q.login_hint ?? fake.nextUser, tenant, {
          redirectUri: q.redirect_uri,
          scope,
          ...(q.code_challenge === undefined
            ? {}
            : {
                codeChallenge: q.code_challenge,
                codeChallengeMethod: q.code_challenge_method === 'S256' ? 'S256' : 'plain',
              }),
          ...(q.nonce === undefined ? {} : { nonce: q.nonce }),
        }),
      );
    }
    if (q.state !== undefined) callback.searchParams.set('state', q.state);
    callback.searchParams.set('session_state', randomUUID());
    return redirectReply(callback.href);
  };

  const tokenSuccess = (
    grant: Pick<IssuedToken, 'user' | 'clientId' | 'grantId' | 'scope' | 'nonce'>,
    tenant: string,
  ): Reply => {
    const access = ledger.issueToken(
      'access',
      grant,
      `eyJ0eXAiOiJKV1Qi.${randomToken('', 64)}`,
      fake.accessTokenTtl,
    );
    const refresh = grant.scope.includes('offline_access')
      ? ledger.issueToken('refresh', grant, `1.A${randomToken('', 120)}`, 90 * 24 * 3600)
      : undefined;
    return jsonReply(200, {
      token_type: 'Bearer',
      scope: grantedScope(grant.scope).join(' '),
      expires_in: fake.accessTokenTtl,
      ext_expires_in: fake.accessTokenTtl,
      access_token: access.value,
      ...(refresh === undefined ? {} : { refresh_token: refresh.value }),
      ...(grant.scope.includes('openid') ? { id_token: idTokenFor(grant, tenant) } : {}),
    });
  };

  // The tenant a refresh token was issued through, for the refreshed ID token.
  const grantTenants = new Map<string, string>();

  const tokens = (tenant: string, request: RecordedRequest): Reply => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      return entraError(
        400,
        'invalid_request',
        9002326,
        `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${origin}'.`,
      );
    }
    const form = request.form;
    if (form.client_id !== fake.clientId) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${form.client_id ?? ''}' was not found in the directory '${tenant}'.`,
      );
    }
    if (
      form.client_secret !== undefined ||
      form.client_assertion !== undefined ||
      request.headers.authorization !== undefined
    ) {
      return entraError(
        401,
        'invalid_client',
        700025,
        "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
      );
    }
    if (form.grant_type === 'authorization_code') {
      const lookup = ledger.redeemCode(form.code);
      if (!lookup.ok) {
        if (lookup.reason === 'used') {
          return entraError(
            400,
            'invalid_grant',
            54005,
            'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
          );
        }
        if (lookup.reason === 'expired') {
          return entraError(
            400,
            'invalid_grant',
            70008,
            'The provided authorization code or refresh token has expired due to inactivity.',
          );
        }
        return entraError(
          400,
          'invalid_grant',
          9002313,
          'Invalid request. Request is malformed or invalid.',
        );
      }
      const code = lookup.code;
      if (form.redirect_uri !== code.redirectUri) {
        return entraError(
          400,
          'invalid_grant',
          500112,
          'The reply address does not match the reply address provided when requesting Authorization code.',
        );
      }
      if (checkPkce(code.codeChallenge, code.codeChallengeMethod, form.code_verifier) !== 'ok') {
        return entraError(
          400,
          'invalid_grant',
          501481,
          'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
        );
      }
      const codeTenant = codeTenants.get(code.value) ?? tenant;
      const grant = {
        user: code.user,
        clientId: code.clientId,
        grantId: randomToken('grant-', 8),
        scope: code.scope,
        ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
      };
      grantTenants.set(grant.grantId, codeTenant);
      return tokenSuccess(grant, codeTenant);
    }
    if (form.grant_type === 'refresh_token') {
      const refresh = ledger.active(form.refresh_token, 'refresh');
      if (refresh === undefined) {
        return entraError(
          400,
          'invalid_grant',
          70008,
          'The provided authorization code or refresh token has expired due to inactivity.',
        );
      }
      // Entra keeps the old refresh token valid: rotation without reuse detection.
      const grant = {
        user: refresh.user,
        clientId: refresh.clientId,
        grantId: refresh.grantId,
        scope: refresh.scope,
      };
      return tokenSuccess(grant, grantTenants.get(refresh.grantId) ?? tenant);
    }
    return entraError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${form.grant_type ?? ''}'.`,
    );
  };

  const discovery = (tenant: string): Reply => {
    const endpoints = endpointsFor(tenant);
    // The multi-tenant documents name no tenant: their issuer is a template.
    const issuerTenant = MULTI_TENANT.has(tenant) ? '{tenantid}' : signInTenant(tenant);
    return jsonReply(200, {
      token_endpoint: endpoints.token,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: endpoints.jwks,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/${issuerTenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: endpoints.userinfo,
      authorization_endpoint: endpoints.authorization,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      tenant_region_scope: null,
    });
  };

  const userinfo = (request: RecordedRequest): Reply => {
    const token = ledger.active(bearerToken(request), 'access');
    if (token === undefined) {
      return {
        status: 401,
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        body: '',
      };
    }
    const user = userFor(token.user);
    return jsonReply(200, {
      sub: stableGuid(`${fake.clientId}:${user.oid}`).replaceAll('-', ''),
      name: user.name,
      ...(fake.includeEmail ? { email: user.email } : {}),
    });
  };

  const graphMe = (request: RecordedRequest): Reply => {
    const token = ledger.active(bearerToken(request), 'access');
    if (token === undefined) {
      return jsonReply(401, {
        error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
      });
    }
    const user = userFor(token.user);
    return jsonReply(200, {
      id: user.oid,
      displayName: user.name,
      userPrincipalName: user.preferredUsername,
      mail: fake.includeEmail ? user.email : null,
    });
  };

  const handle = (request: RecordedRequest, res: ServerResponse): void => {
    if (request.method === 'GET' && request.path === '/oidc/userinfo')
      return sendReply(res, userinfo(request));
    if (request.method === 'GET' && request.path === '/v1.0/me')
      return sendReply(res, graphMe(request));
    const match =
      /^\/([^/]+)\/(oauth2\/v2\.0\/authorize|oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys)$/.exec(
        request.path,
      );
    const tenant = match?.[1];
    const route = match?.[2];
    if (tenant === undefined || route === undefined) {
      return sendReply(
        res,
        entraError(404, 'invalid_request', 90002, `Tenant or route '${request.path}' not found.`),
      );
    }
    if (route === 'oauth2/v2.0/authorize' && request.method === 'GET')
      return sendReply(res, authorize(tenant, request));
    if (route === 'oauth2/v2.0/token' && request.method === 'POST') {
      return answerWithFaults(fake, res, () => tokens(tenant, request));
    }
    if (route === 'v2.0/.well-known/openid-configuration') return sendReply(res, discovery(tenant));
    if (route === 'discovery/v2.0/keys') return sendReply(res, jsonReply(200, signer.jwks));
    return sendReply(
      res,
      entraError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.'),
    );
  };

  const server = await startFakeHttpServer(handle);
  base = server.url;
  const fake: FakeMicrosoft = {
    url: base,
    clientId: options.clientId ?? '3f0b2c1e-7a5d-4e8b-9c6a-0d1e2f3a4b5c',
    userTenantId,
    endpointsFor,
    idTokenIssuerFor,
    requests: server.requests,
    authorizationRequests,
    errors: server.errors,
    fault: null,
    faultOnce: false,
    accessTokenTtl: options.accessTokenTtl ?? 3599,
    includeEmail: options.includeEmail ?? false,
    nextUser: 'adele',
    nextOutcome: 'approve',
    userFor,
    createCode: (user, code) => issueCode(user, code.tenant ?? 'common', code),
    isAccessTokenActive: (token) => Promise.resolve(ledger.active(token, 'access') !== undefined),
    isRefreshTokenActive: (token) => Promise.resolve(ledger.active(token, 'refresh') !== undefined),
    tokenRequests: () =>
      server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token')),
    stop: () => server.stop(),
  };
  return fake;
};
