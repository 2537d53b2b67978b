/**
 * A provider whose token exchange goes through a backend, through the API as the window uses it:
 * what is sent to the backend for each shape, how its answers become an account, and how its
 * refusals become errors. The provider (authorization and user-info) is the tiny scriptable one;
 * the backends are tiny servers answering as the published shapes do. The integration tests
 * (tests/integration/backend-*.test.ts) run real backends in front of oidc-provider.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../../../shared/errors';
import type { BackendShape } from '../../../../shared/providers';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  startTinyServer,
  type TinyReply,
  type TinyRequest,
  type TinyServer,
} from '../../helpers/tiny-http-server';
import { startTinyOAuthProvider, type TinyOAuthProvider } from '../../helpers/tiny-oauth-provider';

const CREDENTIAL = 'backend-credential-7f3a9c';
const WEB_REDIRECT = 'https://app.example.com/oauth/callback';
const NOW_S = () => Math.floor(Date.now() / 1000);

let provider: TinyOAuthProvider;
let backend: TinyServer;
/** What the backend answers, by path; replaced per test. */
let answer: (request: TinyRequest) => TinyReply;
const fixtures: ApiFixture[] = [];

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
  backend = await startTinyServer((request) => answer(request));
});
afterAll(async () => {
  await backend.close();
  await provider.close();
});
afterEach(() => {
  for (const f of fixtures.splice(0)) f.dispose();
  provider.reset();
  backend.requests.length = 0;
});

const googleAnswer =
  (fields: Readonly<Record<string, unknown>> = {}) =>
  (request: TinyRequest): TinyReply =>
    request.path === '/auth/google/exchange'
      ? {
          status: 200,
          json: {
            success: true,
            token: 'backend-access-1',
            refreshToken: 'backend-refresh-1',
            expiresAt: NOW_S() + 3600,
            ...fields,
          },
        }
      : request.path === '/auth/google/refresh'
        ? {
            status: 200,
            json: { success: true, token: 'backend-access-2', expiresAt: NOW_S() + 3600 },
          }
        : { status: 404, text: 'not found' };

/** The consent port of the last fixture: what the authorization request sent. */
let consent: ReturnType<typeof scriptedConsent>;

const fixture = (): ApiFixture => {
  consent = scriptedConsent(answerWithCode('code-from-consent'));
  const f = createApiFixture({ consent });
  fixtures.push(f);
  return f;
};

/** A custom OAuth 2.0 provider (tiny provider's endpoints) whose exchange goes through `backend`. */
const saveThrough = async (
  f: ApiFixture,
  shape: BackendShape,
  extra: { credential?: string; url?: string; redirectUri?: string } = {},
) =>
  ok(
    await f.api.saveProvider({
      id: 'team',
      presetId: 'oauth2',
      label: 'Team',
      clientId: 'team-client',
      scopes: ['read'],
      endpoints: provider.endpoints,
      backend: {
        url: extra.url ?? (shape === 'standard' ? provider.endpoints.token : backend.url),
        shape,
        redirectUri: extra.redirectUri ?? WEB_REDIRECT,
        ...(extra.credential !== undefined ? { credential: extra.credential } : {}),
      },
    }),
  );

const connect = async (f: ApiFixture) => f.api.connect({ providerId: 'team' });

/** The error, asserting that nothing of it repeats `secrets`. */
const failure = (result: Awaited<ReturnType<ApiFixture['api']['connect']>>, secrets: string[]) => {
  const error: ApiError = failed(result);
  const text = JSON.stringify(error);
  for (const secret of secrets) expect(text).not.toContain(secret);
  return error;
};

describe('Google-style backend', () => {
  it('exchanges the code with { code } and the bearer credential, and the account lasts until expiresAt (seconds)', async () => {
    const expiresAt = NOW_S() + 1800;
    answer = googleAnswer({ expiresAt });
    const f = fixture();
    const view = await saveThrough(f, 'google-style', { credential: CREDENTIAL });
    expect(view.backend).toEqual({
      url: backend.url,
      shape: 'google-style',
      redirectUri: WEB_REDIRECT,
      hasCredential: true,
    });
    expect(view.redirectUri).toBe(WEB_REDIRECT);
    expect(JSON.stringify(view)).not.toContain(CREDENTIAL);

    const { account } = ok(await connect(f));
    expect(account.expiresAt).toBe(expiresAt * 1000);
    const [exchange] = backend.requests;
    expect(exchange?.path).toBe('/auth/google/exchange');
    expect(JSON.parse(exchange?.body ?? '')).toEqual({ code: 'code-from-consent' });
    expect(exchange?.headers.authorization).toBe(`Bearer ${CREDENTIAL}`);
    expect(exchange?.headers['content-type']).toBe('application/json');
    // The provider's token endpoint is never asked: the backend holds the secret.
    expect(provider.server.requests.filter((r) => r.path.endsWith('/token'))).toEqual([]);
    // Nor the web redirect URI's server: the consent port caught it, sent in the request as is.
    const sent = consent.authorizationUrls[0];
    expect(sent?.searchParams.get('redirect_uri')).toBe(WEB_REDIRECT);
    expect(sent?.searchParams.has('code_challenge')).toBe(false);
    // Stored encrypted: the store file holds neither the credential nor the tokens in clear.
    const file = JSON.stringify(f.kv.store);
    for (const secret of [CREDENTIAL, 'backend-access-1', 'backend-refresh-1'])
      expect(file).not.toContain(secret);
  });

  it('reads an expiresAt in milliseconds by its size, and assumes an hour without one', async () => {
    const inMs = Date.now() + 1_200_000;
    answer = googleAnswer({ expiresAt: inMs });
    const f = fixture();
    await saveThrough(f, 'google-style');
    expect(ok(await connect(f)).account.expiresAt).toBe(inMs);

    answer = googleAnswer({ expiresAt: undefined });
    const before = Date.now();
    const again = ok(await connect(f)).account.expiresAt ?? 0;
    expect(again).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(again).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it('refreshes with { refresh_token }, keeping the refresh token when none comes back', async () => {
    answer = googleAnswer();
    const f = fixture();
    await saveThrough(f, 'google-style');
    const { account } = ok(await connect(f));
    for (const expected of ['backend-access-2', 'backend-access-2']) {
      const refreshed = ok(await f.api.refreshAccount({ accountId: account.id }));
      expect(refreshed.status).toBe('ok');
      expect(ok(await f.api.copyToken({ accountId: account.id, format: 'bare' }))).toBeDefined();
      expect(await f.clipboard.readText()).toBe(expected);
    }
    const refreshes = backend.requests.filter((r) => r.path === '/auth/google/refresh');
    expect(refreshes.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { refresh_token: 'backend-refresh-1' },
      { refresh_token: 'backend-refresh-1' },
    ]);
  });

  it.each([
    [
      'success: false',
      { status: 200, json: { success: false, message: 'google said no' } },
      'oauth',
      1200,
      /success: false \(google said no\)/,
    ],
    ['HTTP 500', { status: 500, text: 'boom' }, 'oauth', 1200, /HTTP 500/],
    [
      'an HTML page',
      {
        status: 200,
        text: '<html>captive portal</html>',
        headers: { 'content-type': 'text/html' },
      },
      'backend',
      2,
      /an HTML page/,
    ],
    ['no token', { status: 200, json: { success: true } }, 'backend', 2, /without an access token/],
    [
      '401',
      { status: 401, json: { message: 'bad key' } },
      'backend',
      1,
      /refused the backend credential/,
    ],
  ] as const)(
    'a connect answered %s fails clearly and saves nothing',
    async (_what, reply, group, code, message) => {
      answer = (request) => (request.path === '/auth/google/exchange' ? reply : { status: 404 });
      const f = fixture();
      await saveThrough(f, 'google-style', { credential: CREDENTIAL });
      const error = failure(await connect(f), [CREDENTIAL, 'code-from-consent']);
      expect({ group: error.group, code: error.code }).toEqual({ group, code });
      expect(error.message).toMatch(message);
      expect(ok(await f.api.listAccounts())).toEqual([]);
    },
  );

  it('a refresh the backend refuses with invalid_grant asks to reconnect; one it cannot answer keeps the tokens', async () => {
    answer = googleAnswer();
    const f = fixture();
    await saveThrough(f, 'google-style');
    const { account } = ok(await connect(f));

    answer = () => ({ status: 503, text: 'down' });
    const passing = failed(await f.api.refreshAccount({ accountId: account.id }));
    expect(passing).toMatchObject({ group: 'refresh', code: 1 });
    expect(ok(await f.api.listAccounts())[0]?.status).toBe('error');

    answer = () => ({
      status: 400,
      json: { success: false, message: 'invalid_grant: Token has been expired or revoked.' },
    });
    const refused = failed(await f.api.refreshAccount({ accountId: account.id }));
    expect(refused).toMatchObject({ group: 'refresh', code: 0 });
    expect(ok(await f.api.listAccounts())[0]?.status).toBe('reconnect-needed');
  });

  it('disconnect sends nothing anywhere and says revocation is the backend’s business', async () => {
    answer = googleAnswer();
    const f = fixture();
    await saveThrough(f, 'google-style');
    const { account } = ok(await connect(f));
    const before = backend.requests.length;
    const outcome = ok(await f.api.disconnect({ accountId: account.id }));
    expect(outcome.revocation.status).toBe('unsupported');
    expect(JSON.stringify(outcome.revocation)).toMatch(/backend’s business/);
    expect(backend.requests.length).toBe(before);
    expect(provider.server.requests.filter((r) => r.path.includes('revoke'))).toEqual([]);
  });
});

describe('GitHub-style backend', () => {
  const errStatusMsg = (
    status: number,
    group: string,
    code: number,
    message: string,
  ): TinyReply => ({
    status,
    json: {
      group,
      code,
      message,
      traces: ['internal trace'],
      validationDetail: [
        {
          field: 'code',
          expression: 'required',
          originalValue: 'code-from-consent',
          reason: 'is not valid',
        },
      ],
    },
  });

  it('exchanges with { provider: "github", code }; the token does not expire and is not refreshed', async () => {
    answer = (request) =>
      request.path === '/oauth/token'
        ? { status: 200, json: { accessToken: 'gho_backend' } }
        : { status: 404 };
    const f = fixture();
    await saveThrough(f, 'github-style');
    const { account } = ok(await connect(f));
    expect(JSON.parse(backend.requests[0]?.body ?? '')).toEqual({
      provider: 'github',
      code: 'code-from-consent',
    });
    expect(account.expiresAt).toBeNull();
    expect(account.canRefresh).toBe(false);
  });

  it.each([
    [400, 'oauth', 0, 'backend', 0, /unsupported provider/],
    [400, 'oauth', 2, 'oauth', 2, /rejected the authorization code/],
    [400, 'request', 0, 'backend', 0, /invalid field: code: is not valid/],
    [400, 'request', 1, 'backend', 0, /had no body/],
    [500, 'oauth', 1200, 'oauth', 1200, /could not complete the exchange/],
  ] as const)(
    'HTTP %i %s/%i is shown as %s/%i, the backend’s words in the traces, originalValue masked',
    async (status, group, code, shownGroup, shownCode, message) => {
      answer = () => errStatusMsg(status, group, code, `the backend's ${group}/${code} message`);
      const f = fixture();
      await saveThrough(f, 'github-style');
      const error = failure(await connect(f), ['code-from-consent']);
      expect({ group: error.group, code: error.code }).toEqual({
        group: shownGroup,
        code: shownCode,
      });
      expect(error.message).toMatch(message);
      expect(error.traces).toContain(
        `backend error ${group}/${code}: the backend's ${group}/${code} message`,
      );
      expect(error.traces).toContain(
        'validationDetail: code required: is not valid (originalValue [masked])',
      );
      expect(ok(await f.api.listAccounts())).toEqual([]);
    },
  );
});

describe('standard backend', () => {
  it('sends an RFC 6749 token request without a client secret, with the PKCE verifier and the credential', async () => {
    const f = fixture();
    await saveThrough(f, 'standard', { credential: CREDENTIAL });
    ok(await connect(f));
    const [request] = provider.server.requests.filter((r) => r.path.endsWith('/token'));
    expect(request?.form.grant_type).toBe('authorization_code');
    expect(request?.form.code).toBe('code-from-consent');
    expect(request?.form.redirect_uri).toBe(WEB_REDIRECT);
    expect(request?.form.client_id).toBe('team-client');
    expect(request?.form.code_verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(request?.form).not.toHaveProperty('client_secret');
    expect(request?.headers.authorization).toBe(`Bearer ${CREDENTIAL}`);
  });

  it('a 401 from the backend is its credential, not the client’s', async () => {
    provider.script.code = () => ({ status: 401, json: { message: 'no such key' } });
    const f = fixture();
    await saveThrough(f, 'standard', { credential: CREDENTIAL });
    expect(failure(await connect(f), [CREDENTIAL])).toMatchObject({ group: 'backend', code: 1 });
  });
});

describe('saving a provider through a backend', () => {
  const base = {
    id: 'team',
    presetId: 'oauth2' as const,
    clientId: 'team-client',
    endpoints: {
      authorization: 'https://id.example.com/authorize',
      token: 'https://id.example.com/token',
    },
  };
  const through = {
    url: 'https://backend.example.com',
    shape: 'google-style' as const,
    redirectUri: WEB_REDIRECT,
  };

  it.each([
    ['a client secret', { clientSecret: 's3cret' }, 'clientSecret'],
    ['sign-in with a code', { consentMode: 'device-code' as const }, 'consentMode'],
    [
      'the system browser with a web redirect URI',
      { consentMode: 'system-browser' as const },
      'consentMode',
    ],
  ])('refuses %s, naming the field', async (_what, extra, field) => {
    const f = fixture();
    const error = failed(await f.api.saveProvider({ ...base, ...extra, backend: through }));
    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(error.validationDetail?.map((d) => d.field)).toContain(field);
  });

  it('takes the system browser with a loopback redirect URI with a port', async () => {
    const f = fixture();
    const view = ok(
      await f.api.saveProvider({
        ...base,
        consentMode: 'system-browser',
        backend: { ...through, redirectUri: 'http://127.0.0.1:53682/oauth/callback' },
      }),
    );
    expect(view.consentMode).toBe('system-browser');
  });

  it('for Google, which blocks embedded windows, refuses a web redirect URI; no client secret is needed', async () => {
    const f = fixture();
    const refused = failed(
      await f.api.saveProvider({
        presetId: 'google',
        clientId: 'g.apps.googleusercontent.com',
        backend: through,
      }),
    );
    expect(refused.validationDetail?.[0]).toMatchObject({
      field: 'backend.redirectUri',
      expression: 'system-browser',
    });
    const saved = ok(
      await f.api.saveProvider({
        presetId: 'google',
        clientId: 'g.apps.googleusercontent.com',
        backend: { ...through, redirectUri: 'http://127.0.0.1:53682/oauth/callback' },
      }),
    );
    expect(saved).toMatchObject({
      clientAuth: 'none',
      hasClientSecret: false,
      consentMode: 'system-browser',
    });
  });

  it('removes a stored client secret, never echoes the credential, and keeps it only for the same backend', async () => {
    const f = fixture();
    ok(await f.api.saveProvider({ ...base, clientSecret: 'old-client-secret' }));
    const view = ok(
      await f.api.saveProvider({ ...base, backend: { ...through, credential: CREDENTIAL } }),
    );
    expect(view.hasClientSecret).toBe(false);
    expect(view.backend?.hasCredential).toBe(true);
    const moved = failed(
      await f.api.saveProvider({
        ...base,
        backend: { ...through, url: 'https://elsewhere.example.com' },
      }),
    );
    expect(moved.validationDetail?.[0]).toMatchObject({
      field: 'backend.credential',
      expression: 'required',
    });
    expect(JSON.stringify(moved)).not.toContain(CREDENTIAL);
    const direct = ok(await f.api.saveProvider({ ...base, backend: null }));
    expect(direct.backend).toBeUndefined();
    expect(JSON.stringify(f.kv.store)).not.toContain(CREDENTIAL);
    expect(Object.keys((f.kv.store as { secrets: object }).secrets)).not.toContain('backend:team');
  });

  it('refuses to move a provider with accounts to or from a backend', async () => {
    answer = googleAnswer();
    const f = fixture();
    await saveThrough(f, 'google-style');
    ok(await connect(f));
    const error = failed(
      await f.api.saveProvider({
        id: 'team',
        presetId: 'oauth2',
        clientId: 'team-client',
        endpoints: provider.endpoints,
        backend: null,
      }),
    );
    expect(error).toMatchObject({ group: 'oauth', code: 5 });
  });
});

describe('Test connection through a backend', () => {
  const input = (url: string) => ({
    id: 'team',
    presetId: 'oauth2' as const,
    clientId: 'team-client',
    endpoints: provider.endpoints,
    backend: {
      url,
      shape: 'google-style' as const,
      redirectUri: WEB_REDIRECT,
      credential: CREDENTIAL,
    },
  });

  it('asks the backend’s exchange URL, with a made-up code and no credential', async () => {
    answer = () => ({ status: 400, json: { success: false, message: 'invalid_grant' } });
    const f = fixture();
    const result = ok(await f.api.testConnection(input(backend.url)));
    expect(result.ok).toBe(true);
    expect(result.checks).toEqual([
      expect.objectContaining({
        step: 'backend',
        url: `${backend.url}/auth/google/exchange`,
        ok: true,
      }),
    ]);
    const [probe] = backend.requests;
    expect(probe?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(probe)).not.toContain(CREDENTIAL);
    expect(provider.server.requests).toEqual([]);
  });

  it('says when what answers is not a backend', async () => {
    answer = () => ({
      status: 200,
      text: '<html>portal</html>',
      headers: { 'content-type': 'text/html' },
    });
    const f = fixture();
    const result = ok(await f.api.testConnection(input(backend.url)));
    expect(result.ok).toBe(false);
    expect(result.checks[0]).toMatchObject({ step: 'backend', place: 'http' });
    expect(result.checks[0]?.message).toMatch(/not JSON/);
  });
});

describe('machine accounts through a backend', () => {
  it('are refused before anything is sent: the backend keeps the client’s credentials', async () => {
    const f = fixture();
    await saveThrough(f, 'standard');
    const error = failed(await f.api.addMachineAccount({ providerId: 'team', name: 'ci' }));
    expect(error).toMatchObject({ group: 'machine', code: 0 });
    expect(error.message).toMatch(/goes through a backend/);
    expect(provider.server.requests).toEqual([]);
    expect(ok(await f.api.listAccounts())).toEqual([]);
  });
});

describe('the system browser with a [::1] redirect URI', () => {
  it('is refused as the form says: the listener holds ::1 only beside 127.0.0.1', async () => {
    const f = fixture();
    const error = failed(
      await f.api.saveProvider({
        id: 'team',
        presetId: 'oauth2',
        clientId: 'team-client',
        endpoints: provider.endpoints,
        consentMode: 'system-browser',
        backend: { url: backend.url, shape: 'google-style', redirectUri: 'http://[::1]:8765/cb' },
      }),
    );
    expect(error.validationDetail?.[0]).toMatchObject({ field: 'consentMode' });
  });
});
