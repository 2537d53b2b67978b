/**
 * GitHub, as its documentation says it behaves (docs/PROVIDERS.md, "GitHub"), through the real
 * core and the shipped GitHub preset pointed at tests/support/fake-github.ts:
 * - the token request asks for JSON; errors come back with HTTP 200 and still read as errors;
 *   GitHub's default form-encoded answer is understood too;
 * - the account is GET /user's numeric `id`, shown by its `login`;
 * - OAuth App tokens never expire: shown with no expiry, never as expired, always copyable;
 * - GitHub App user tokens last 8 hours and refresh with rotating refresh tokens;
 * - comma-separated scopes are shown as a list;
 * - disconnect revokes through the REST API with the client's Basic credentials.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../main/core/accounts/account-record';
import { isError } from '../../shared/errors';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { basicCredentials } from '../support/fake-server';
import { failed, ok } from './core-fixture';
import {
  createProviderApp,
  createShiftableClock,
  expectCleanError,
  grants,
  type ProviderApp,
  type ProviderAppOptions,
} from './providers-app';

const HOUR = 3600_000;
const REGISTERED = 'http://127.0.0.1/callback/github';

describe('GitHub', () => {
  let oauthApp: FakeGitHub;
  let githubApp: FakeGitHub;
  let apps: ProviderApp[] = [];

  beforeAll(async () => {
    [oauthApp, githubApp] = await Promise.all([
      startFakeGitHub({ expiring: false }),
      startFakeGitHub({ expiring: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([oauthApp?.stop(), githubApp?.stop()]);
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    apps = [];
    for (const fake of [oauthApp, githubApp]) {
      fake.ignoreAccept = false;
      fake.nextUser = 'octocat';
      expect(fake.errors).toEqual([]);
    }
  });

  const newApp = async (
    fake: FakeGitHub,
    options: ProviderAppOptions = {},
    scopes?: readonly string[],
  ) => {
    const app = createProviderApp({ github: fake }, options);
    apps.push(app);
    await app.save({
      presetId: 'github',
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      ...(scopes ? { scopes: [...scopes] } : {}),
    });
    return app;
  };

  describe('OAuth App (tokens that never expire)', () => {
    it('asks for JSON with the secret and PKCE, and keys the account by GET /user’s id, shown by login', async () => {
      const app = await newApp(oauthApp);
      const before = oauthApp.requests.length;
      const formats = oauthApp.tokenResponseFormats.length;
      const { account, created } = ok(await app.api.connect({ providerId: 'github' }));
      expect(created).toBe(true);

      const authorization = oauthApp.authorizationRequests.at(-1) ?? {};
      expect(authorization).toMatchObject({
        client_id: oauthApp.clientId,
        code_challenge_method: 'S256',
        scope: 'read:user',
        redirect_uri: REGISTERED,
        // The account picker, so that a second GitHub account can be added.
        prompt: 'select_account',
      });
      expect(authorization.state).toMatch(/^[\w-]{22,}$/);
      // Plain OAuth 2.0: no OpenID nonce.
      expect(authorization.nonce).toBeUndefined();

      const sent = oauthApp.requests.slice(before);
      const token = sent.find((r) => r.path === '/login/oauth/access_token');
      expect(token?.headers.accept).toContain('application/json');
      expect(oauthApp.tokenResponseFormats.slice(formats)).toEqual(['json']);
      expect(token?.form).toMatchObject({
        client_id: oauthApp.clientId,
        client_secret: oauthApp.clientSecret,
        redirect_uri: REGISTERED,
      });
      expect(token?.form.code_verifier).toMatch(/^[\w-]{43,128}$/);

      const user = sent.find((r) => r.path === '/user');
      expect(user?.headers['user-agent']).toBeTruthy();
      expect(user?.headers.authorization).toMatch(/^Bearer gho_/);

      expect(account).toMatchObject({
        id: accountIdFor('github', '12345'),
        subject: '12345',
        displayName: 'octocat',
        presetId: 'github',
      });

      // A renamed login is still the same person (the numeric id is stable).
      Object.assign(oauthApp.userFor('octocat'), { login: 'octocat-renamed' });
      try {
        const again = ok(await app.api.connect({ providerId: 'github' }));
        expect(again).toMatchObject({
          created: false,
          account: { id: account.id, displayName: 'octocat-renamed' },
        });
      } finally {
        Object.assign(oauthApp.userFor('octocat'), { login: 'octocat' });
      }
      oauthApp.nextUser = 'hubot';
      const other = ok(await app.api.connect({ providerId: 'github' }));
      expect(other.created).toBe(true);
      expect(other.account.subject).toBe(String(oauthApp.userFor('hubot').id));
      expect(await app.accounts()).toHaveLength(2);
    });

    it('a token without expires_in or refresh token is shown as not expiring, never as expired, and copies a year later without a request', async () => {
      const clock = createShiftableClock();
      const app = await newApp(oauthApp, { clock }, ['read:user', 'repo', 'gist']);
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      expect(account).toMatchObject({ expiresAt: null, canRefresh: false, status: 'ok' });
      // GitHub answers "read:user,repo,gist": the app shows a list.
      expect(account.scopes).toEqual(['read:user', 'repo', 'gist']);
      const { accessToken } = await app.secrets(account.id);
      expect(accessToken).toMatch(/^gho_/);

      clock.shift(365 * 24 * HOUR);
      const requests = oauthApp.requests.length;
      expect(await app.account(account.id)).toMatchObject({ expiresAt: null, status: 'ok' });
      const copied = ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
      expect(copied.expiresAt).toBeNull();
      expect(app.fixture.clipboard.writes.at(-1)).toBe(accessToken);
      ok(await app.api.copyToken({ accountId: account.id, format: 'json' }));
      expect(JSON.parse(app.fixture.clipboard.writes.at(-1) ?? '')).toMatchObject({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_at: null,
        expires_in: null,
        scope: 'read:user repo gist',
      });
      ok(await app.api.copyToken({ accountId: account.id, format: 'curl' }));
      expect(app.fixture.clipboard.writes.at(-1)).toBe(
        `curl -H 'Authorization: Bearer ${accessToken}' '${oauthApp.endpoints.user}'`,
      );
      expect(oauthApp.requests.length).toBe(requests);

      // Refresh now has nothing to refresh with: it says so instead of pretending.
      const refresh = failed(await app.api.refreshAccount({ accountId: account.id }));
      expect(isError(refresh, 'noRefreshToken')).toBe(true);
      expectCleanError(refresh, [accessToken, oauthApp.clientSecret]);
    });

    it('a code error answered with HTTP 200 is an error: oauth/2 with GitHub’s description, at connect and at exchange', async () => {
      const app = await newApp(oauthApp, {
        consentTransform: (callback) => {
          callback.searchParams.set('code', '0123456789abcdef0123');
          return callback;
        },
      });
      const tokenRequests = oauthApp.tokenRequests().length;
      const connect = failed(await app.api.connect({ providerId: 'github' }));
      expect(isError(connect, 'invalidAuthorizationCode')).toBe(true);
      expect(connect.message).toContain(
        'bad_verification_code: The code passed is incorrect or expired.',
      );
      expectCleanError(connect, ['0123456789abcdef0123', oauthApp.clientSecret]);
      expect(oauthApp.tokenRequests().length).toBe(tokenRequests + 1);
      expect(await app.accounts()).toEqual([]);

      const exchange = failed(
        await app.api.exchange({ provider: 'github', code: 'fedcba9876543210fedc' }),
      );
      expect(isError(exchange, 'invalidAuthorizationCode')).toBe(true);
      expect(exchange.message).toContain('bad_verification_code');
      expectCleanError(exchange, ['fedcba9876543210fedc', oauthApp.clientSecret]);

      // A wrong client secret, also answered with HTTP 200, is named as such.
      const wrongSecret = createProviderApp({ github: oauthApp });
      apps.push(wrongSecret);
      await wrongSecret.save({
        presetId: 'github',
        clientId: oauthApp.clientId,
        clientSecret: 'not-the-secret',
      });
      const code = oauthApp.createCode('octocat', { redirectUri: REGISTERED });
      const client = failed(await wrongSecret.api.exchange({ provider: 'github', code }));
      expect(isError(client, 'invalidClient')).toBe(true);
      expect(client.message).toContain('incorrect_client_credentials');
      expectCleanError(client, [code, 'not-the-secret', oauthApp.clientSecret]);
    });

    it('understands GitHub’s form-encoded answers, successes and errors alike', async () => {
      const app = await newApp(oauthApp, {}, ['read:user', 'repo']);
      oauthApp.ignoreAccept = true;
      const formats = oauthApp.tokenResponseFormats.length;
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      expect(oauthApp.tokenResponseFormats.slice(formats)).toEqual(['form']);
      expect(account).toMatchObject({
        displayName: 'octocat',
        expiresAt: null,
        scopes: ['read:user', 'repo'],
        status: 'ok',
      });
      expect(await oauthApp.isAccessTokenActive((await app.secrets(account.id)).accessToken)).toBe(
        true,
      );

      const error = failed(
        await app.api.exchange({ provider: 'github', code: 'fedcba9876543210fedc' }),
      );
      expect(oauthApp.tokenResponseFormats.at(-1)).toBe('form');
      expect(isError(error, 'invalidAuthorizationCode')).toBe(true);
      expect(error.message).toContain('bad_verification_code');
    });

    it('exchange({ provider, code }) answers the token with expiresAt null and nothing else secret', async () => {
      const app = await newApp(oauthApp);
      const code = oauthApp.createCode('octocat', { redirectUri: REGISTERED });
      const answer = ok(await app.api.exchange({ provider: 'github', code }));
      expect(answer).toEqual({
        success: true,
        token: expect.stringMatching(/^gho_/) as unknown,
        expiresAt: null,
        accountId: accountIdFor('github', '12345'),
      });
      expect(await oauthApp.isAccessTokenActive(answer.token)).toBe(true);
      expect(JSON.stringify(answer)).not.toContain(oauthApp.clientSecret);
    });

    it('disconnect revokes through DELETE /applications/{client_id}/token with Basic auth', async () => {
      const app = await newApp(oauthApp);
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      const { accessToken } = await app.secrets(account.id);
      const before = oauthApp.requests.length;

      const answer = ok(await app.api.disconnect({ accountId: account.id }));
      expect(answer).toEqual({ accountId: account.id, revocation: { status: 'revoked' } });
      const [revoke, ...more] = oauthApp.requests
        .slice(before)
        .filter((r) => r.path.startsWith('/applications/'));
      expect(more).toEqual([]);
      expect(revoke).toMatchObject({
        method: 'DELETE',
        path: `/applications/${oauthApp.clientId}/token`,
        form: { access_token: accessToken },
      });
      expect(revoke && basicCredentials(revoke)).toEqual({
        id: oauthApp.clientId,
        secret: oauthApp.clientSecret,
      });
      expect(revoke?.headers['user-agent']).toBeTruthy();
      expect(await oauthApp.isAccessTokenActive(accessToken)).toBe(false);
      expect(await app.accounts()).toEqual([]);
    });
  });

  describe('GitHub App (8-hour tokens with rotating refresh tokens)', () => {
    it('shows the 8-hour expiry and refreshes when a copy finds the token due; the refresh token rotates', async () => {
      const clock = createShiftableClock();
      const app = await newApp(githubApp, { clock });
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      expect(account).toMatchObject({ canRefresh: true, status: 'ok', displayName: 'octocat' });
      expect(account.expiresAt).toBeGreaterThan(clock.now() + 8 * HOUR - 60_000);
      expect(account.expiresAt).toBeLessThanOrEqual(clock.now() + 8 * HOUR);
      const first = await app.secrets(account.id);
      expect(first.accessToken).toMatch(/^ghu_/);
      expect(first.refreshToken).toMatch(/^ghr_/);

      // Still fresh: a copy is served without a token request.
      const tokenRequests = githubApp.tokenRequests().length;
      ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
      expect(app.fixture.clipboard.writes.at(-1)).toBe(first.accessToken);
      expect(githubApp.tokenRequests().length).toBe(tokenRequests);

      // Eight hours later (for the app) the token is due: the copy refreshes first.
      clock.shift(8 * HOUR - 30_000);
      const copied = ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
      const second = await app.secrets(account.id);
      expect(app.fixture.clipboard.writes.at(-1)).toBe(second.accessToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.refreshToken).toMatch(/^ghr_/);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(copied.expiresAt).toBeGreaterThan(clock.now() + 8 * HOUR - 60_000);

      // GitHub spent the old pair; the app kept the new one, and the next refresh uses it.
      expect(await githubApp.isRefreshTokenActive(first.refreshToken ?? '')).toBe(false);
      expect(await githubApp.isAccessTokenActive(first.accessToken)).toBe(false);
      ok(await app.api.refreshAccount({ accountId: account.id }));
      const third = await app.secrets(account.id);
      const refreshes = grants(githubApp.tokenRequests().slice(tokenRequests), 'refresh_token');
      expect(refreshes.map((r) => r.refresh_token)).toEqual([
        first.refreshToken,
        second.refreshToken,
      ]);
      for (const refresh of refreshes)
        expect(refresh).toMatchObject({ client_secret: githubApp.clientSecret });
      expect(await githubApp.isAccessTokenActive(third.accessToken)).toBe(true);
      expect(await app.account(account.id)).toMatchObject({ status: 'ok', canRefresh: true });
    });

    it('reads a form-encoded answer’s expires_in (a string) as the 8-hour expiry', async () => {
      const app = await newApp(githubApp);
      githubApp.ignoreAccept = true;
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      expect(githubApp.tokenResponseFormats.at(-1)).toBe('form');
      expect(account.canRefresh).toBe(true);
      expect(account.expiresAt).toBeGreaterThan(Date.now() + 8 * HOUR - 60_000);
      const refreshed = ok(await app.api.refreshAccount({ accountId: account.id }));
      expect(refreshed).toMatchObject({ status: 'ok' });
      expect(githubApp.tokenResponseFormats.at(-1)).toBe('form');
    });

    it('a refresh token GitHub no longer accepts (bad_refresh_token, HTTP 200) → reconnect needed, account kept', async () => {
      const app = await newApp(githubApp);
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      const secrets = await app.secrets(account.id);
      // Another copy of the app used the refresh token first (GitHub rotated it away).
      const elsewhere = await fetch(githubApp.endpoints.token, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: new URLSearchParams({
          client_id: githubApp.clientId,
          client_secret: githubApp.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: secrets.refreshToken ?? '',
        }),
      });
      expect(elsewhere.status).toBe(200);
      await elsewhere.body?.cancel();

      const error = failed(await app.api.refreshAccount({ accountId: account.id }));
      expect(isError(error, 'reconnectNeeded')).toBe(true);
      expect(error.message).toContain(
        'bad_refresh_token: The refresh token passed is incorrect or expired.',
      );
      expectCleanError(error, [secrets.accessToken, secrets.refreshToken, githubApp.clientSecret]);
      expect(await app.account(account.id)).toMatchObject({
        status: 'reconnect-needed',
        lastError: { group: 'refresh', code: 0 },
      });
    });
  });
});
