/**
 * Proves the local token backends themselves (tests/support/token-backends.ts), without the app's
 * core: a code from oidc-provider's real consent pages (Chromium, the browser consent port given
 * the backend's registered redirect URI as `ConsentRequest.redirectUri`) is exchanged by each
 * backend with its confidential client's secret, refreshed, and each answer has the published
 * shape; the credential is required; every fault answers as documented. If this file fails, fix
 * tests/support before blaming the app.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConsentRequest } from '../../main/core/ports';
import { createBrowserConsentPort } from '../support/browser-consent-port';
import { s256Challenge } from '../support/pkce-check';
import {
  ERR_STATUS_MSG_ROWS,
  GOOGLE_STYLE_PATHS,
  githubIdOf,
  type TokenBackend,
} from '../support/token-backends';
import {
  BACKEND_CREDENTIAL,
  GITHUB_CLIENT,
  GOOGLE_CLIENT,
  setUpBackendPeers,
  STANDARD_CLIENT,
  WEB_REDIRECT_URI,
  type BackendPeers,
} from './backend-app';

const bearer = { authorization: `Bearer ${BACKEND_CREDENTIAL}` };

const postJson = async (
  url: string,
  body: unknown,
  headers: Record<string, string> = bearer,
): Promise<{ status: number; type: string; body: Record<string, unknown> | string }> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    type,
    body: type.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : text,
  };
};

const postForm = async (url: string, fields: Record<string, string>, headers = bearer) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

interface Code {
  readonly code: string;
  readonly verifier: string;
}

/** One authorization at oidc-provider for a backend's client, caught at `redirectUri`. */
const authorize = async (
  peers: BackendPeers,
  clientId: string,
  redirectUri: string,
  options: {
    readonly pkce: boolean;
    readonly scope: string;
    readonly mode: ConsentRequest['mode'];
  },
): Promise<Code> => {
  const port = createBrowserConsentPort(peers.browser, { login: 'peer-user' });
  const session = await port.begin({
    providerId: clientId,
    mode: options.mode,
    redirectHost: '127.0.0.1',
    callbackPath: '/unused',
    redirectUri,
    signal: new AbortController().signal,
  });
  expect(session.redirectUri).toBe(redirectUri);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const url = new URL(`${peers.server.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: options.scope,
    state,
    prompt: 'consent',
    ...(options.pkce
      ? { code_challenge: s256Challenge(verifier), code_challenge_method: 'S256' }
      : {}),
  }).toString();
  try {
    const callback = await session.authorize(url);
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code');
    if (code === null) throw new Error(`no code in ${callback.href}`);
    return { code, verifier };
  } finally {
    await session.close();
  }
};

describe('local token backends in front of oidc-provider', () => {
  const peers = setUpBackendPeers({ rotateRefreshToken: true });

  it('Google-style: exchange and refresh with the secret only it knows; expiresAt in s or ms; refreshToken only when new', async () => {
    const { google, server } = peers;
    const { code } = await authorize(peers, GOOGLE_CLIENT.clientId, peers.loopbackRedirectUri, {
      pkce: false,
      scope: 'openid email profile',
      mode: 'system-browser',
    });
    const exchanged = await postJson(`${google.url}${GOOGLE_STYLE_PATHS.exchange}`, { code });
    expect(exchanged.status).toBe(200);
    const first = exchanged.body as Record<string, unknown>;
    expect(first).toMatchObject({ success: true });
    expect(await server.isAccessTokenActive(String(first.token))).toBe(true);
    expect(await server.isRefreshTokenActive(String(first.refreshToken))).toBe(true);
    expect(first.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(first.expiresAt).toBeLessThan(Date.now() / 1000 + 3700);
    // The exchange at the provider carried the client's secret and the registered redirect URI.
    expect(google.providerAnswers.at(-1)).toMatchObject({ call: 'exchange', status: 200 });

    google.expiresAtUnit = 'ms';
    const rotated = await postJson(`${google.url}${GOOGLE_STYLE_PATHS.refresh}`, {
      refresh_token: first.refreshToken,
    });
    const second = rotated.body as Record<string, unknown>;
    expect(second).toMatchObject({ success: true });
    expect(second.refreshToken).toEqual(expect.any(String));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.expiresAt).toBeGreaterThan(Date.now());

    server.setRotation(false);
    const kept = await postJson(`${google.url}${GOOGLE_STYLE_PATHS.refresh}`, {
      refresh_token: second.refreshToken,
    });
    const third = kept.body as Record<string, unknown>;
    expect(third.success).toBe(true);
    expect(typeof third.token).toBe('string');
    expect('refreshToken' in third).toBe(false);
    expect(await server.isRefreshTokenActive(String(second.refreshToken))).toBe(true);
    expect(google.counts).toMatchObject({ exchanges: 1, refreshes: 2, unauthorized: 0 });
  });

  it('GitHub-style: { provider, code } → { accessToken } for a web redirect URI, and the stand-in /user', async () => {
    const { github } = peers;
    const { code } = await authorize(peers, GITHUB_CLIENT.clientId, WEB_REDIRECT_URI, {
      pkce: false,
      scope: 'read:user',
      mode: 'embedded',
    });
    const answer = await postJson(`${github.url}/oauth/token`, { provider: 'github', code });
    expect(answer.status).toBe(200);
    const { accessToken } = answer.body as { accessToken: string };
    expect(Object.keys(answer.body)).toEqual(['accessToken']);
    const user = await fetch(github.github.user, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(await user.json()).toEqual({
      id: githubIdOf('peer-user'),
      login: 'peer-user',
      name: 'peer-user',
      email: 'peer-user@example.test',
    });
    // The code is spent: the same exchange again is the published "invalid authorization code".
    const again = await postJson(`${github.url}/oauth/token`, { provider: 'github', code });
    expect(again).toMatchObject({ status: 400, body: { group: 'oauth', code: 2 } });
    // The other rows it reaches by itself.
    expect(await postJson(`${github.url}/oauth/token`, { provider: 'gitlab', code })).toMatchObject(
      { status: 400, body: { group: 'oauth', code: 0 } },
    );
    expect(await postJson(`${github.url}/oauth/token`, { provider: 'github' })).toMatchObject({
      status: 400,
      body: { group: 'request', code: 0 },
    });
    expect(await postJson(`${github.url}/oauth/token`, undefined)).toMatchObject({
      status: 400,
      body: { group: 'request', code: 1 },
    });
  });

  it('standard: the form goes on to the provider with the secret and the verifier; the answer comes back as it is', async () => {
    const { standard, server } = peers;
    const { code, verifier } = await authorize(peers, STANDARD_CLIENT.clientId, WEB_REDIRECT_URI, {
      pkce: true,
      scope: 'openid offline_access',
      mode: 'embedded',
    });
    const exchanged = await postForm(standard.url, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: WEB_REDIRECT_URI,
      client_id: STANDARD_CLIENT.clientId,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.token_type).toBe('Bearer');
    for (const member of ['access_token', 'refresh_token', 'id_token'])
      expect(typeof exchanged.body[member]).toBe('string');
    const refreshed = await postForm(standard.url, {
      grant_type: 'refresh_token',
      refresh_token: String(exchanged.body.refresh_token),
      client_id: STANDARD_CLIENT.clientId,
    });
    expect(refreshed.status).toBe(200);
    expect(await server.isAccessTokenActive(String(refreshed.body.access_token))).toBe(true);
    // A wrong verifier is the provider's own refusal, passed on.
    const { code: other } = await authorize(peers, STANDARD_CLIENT.clientId, WEB_REDIRECT_URI, {
      pkce: true,
      scope: 'openid',
      mode: 'embedded',
    });
    const refused = await postForm(standard.url, {
      grant_type: 'authorization_code',
      code: other,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(standard.counts).toMatchObject({ exchanges: 2, refreshes: 1, providerCalls: 3 });
  });

  const callUrl = (backend: TokenBackend) =>
    backend.shape === 'google-style'
      ? `${backend.url}${GOOGLE_STYLE_PATHS.exchange}`
      : backend.shape === 'github-style'
        ? `${backend.url}/oauth/token`
        : backend.url;

  it('each backend wants its bearer credential: 401 without it or with another, and the provider is not called', async () => {
    for (const backend of [peers.google, peers.github, peers.standard]) {
      const before = backend.counts.providerCalls;
      const none = await postJson(callUrl(backend), { code: 'x', provider: 'github' }, {});
      const wrong = await postJson(
        callUrl(backend),
        { code: 'x', provider: 'github' },
        { authorization: 'Bearer not-it' },
      );
      expect([none.status, wrong.status]).toEqual([401, 401]);
      expect(backend.counts.providerCalls).toBe(before);
      expect(backend.counts.unauthorized).toBeGreaterThanOrEqual(2);
    }
  });

  it('faults: each ErrStatusMsg row with its status and the value sent as originalValue, HTML 200/500, JSON 500, success:false', async () => {
    const { github, google } = peers;
    const sent = { provider: 'github', code: 'code-sent-by-the-test-123456' };
    for (const row of ERR_STATUS_MSG_ROWS) {
      github.fault = { kind: 'err-status-msg', row };
      const answer = await postJson(`${github.url}/oauth/token`, sent);
      const [group, code] = row.split('/');
      expect(answer.status).toBe(row === 'oauth/1200' ? 500 : 400);
      expect(answer.body).toMatchObject({ group, code: Number(code) });
      const details = (answer.body as { validationDetail: { originalValue: string }[] })
        .validationDetail;
      if (row !== 'request/1')
        expect(details.map((d) => d.originalValue)).toContain(
          row === 'oauth/0' ? sent.provider : sent.code,
        );
    }
    github.fault = null;
    const exchange = `${google.url}${GOOGLE_STYLE_PATHS.exchange}`;
    google.fault = { kind: 'html-200' };
    const html200 = await postJson(exchange, { code: 'c' });
    expect([html200.status, html200.type]).toEqual([200, 'text/html; charset=utf-8']);
    google.fault = { kind: 'html-500' };
    const html500 = await postJson(exchange, { code: 'c' });
    expect([html500.status, html500.type]).toEqual([500, 'text/html; charset=utf-8']);
    google.fault = { kind: 'json-500' };
    expect(await postJson(exchange, { code: 'c' })).toMatchObject({
      status: 500,
      body: { success: false },
    });
    google.fault = { kind: 'success-false' };
    expect(await postJson(exchange, { code: 'c' })).toMatchObject({
      status: 200,
      body: { success: false },
    });
    // faultOn: refresh only; once: the next call only.
    google.fault = { kind: 'json-500' };
    google.faultOn = 'refresh';
    google.faultOnce = true;
    expect((await postJson(exchange, { code: 'c' })).status).toBe(400);
    const refresh = `${google.url}${GOOGLE_STYLE_PATHS.refresh}`;
    expect((await postJson(refresh, { refresh_token: 'r' })).status).toBe(500);
    expect((await postJson(refresh, { refresh_token: 'r' })).status).toBe(400);
    expect(google.fault).toBeNull();
  });

  it('a hang answers nothing until the caller gives up', async () => {
    const { standard } = peers;
    const before = standard.counts.providerCalls;
    standard.fault = { kind: 'hang' };
    const outcome = await fetch(standard.url, {
      method: 'POST',
      headers: bearer,
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }),
      signal: AbortSignal.timeout(300),
    }).then(
      (r) => `answered ${r.status}`,
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    );
    expect(outcome).toBe('TimeoutError');
    expect(standard.counts.providerCalls).toBe(before);
  });
});
