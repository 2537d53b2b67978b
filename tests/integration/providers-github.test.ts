/**
 * GitHub, as its documentation says it behaves (docs/PROVIDERS.md, "GitHub"), through the real
 * core and the shipped GitHub preset pointed at tests/support/fake-github.ts:
 * - the token request asks for JSON; errors come back with HTTP 200 and still read as errors;
 *   GitHub's default form-encoded answer is understood too;
 * - the account is GET /user's numeric `id`, shown by its `login`;
 * - OAuth App tokens that never expire: shown with no expiry, never as expired, always copyable;
 * - expiring user tokens (GitHub Apps by default, OAuth Apps that opted in or asked for
 *   offline_access) last 8 hours and refresh with rotating refresh tokens, the spent one refused;
 * - comma-separated scopes are shown as a list;
 * - disconnect revokes through the REST API with the client's Basic credentials: a token that
 *   never expires by DELETE …/token; a grant with a refresh token by DELETE …/grant (which ends
 *   the refresh token too), after refreshing an expired access token first; only a revocation
 *   GitHub confirmed is reported as one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../main/core/accounts/account-record';
import { isError } from '../../shared/errors';
import { GITHUB_REFRESH_TOKEN_TTL, startFakeGitHub, type FakeGitHub } from '../support/fake-github';
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
  /** An OAuth App that opted in to expiring user tokens. */
  let expiringOAuthApp: FakeGitHub;
  let apps: ProviderApp[] = [];

  beforeAll(async () => {
    [oauthApp, githubApp, expiringOAuthApp] = await Promise.all([
      startFakeGitHub({ expiring: false }),
      startFakeGitHub({ expiring: true }),
      startFakeGitHub({ expiring: true, kind: 'oauth-app' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([oauthApp?.stop(), githubApp?.stop(), expiringOAuthApp?.stop()]);
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    apps = [];
    for (const fake of [oauthApp, githubApp, expiringOAuthApp]) {
      fake.ignoreAccept = false;
      fake.nextUser = 'octocat';
      fake.accessTokenTtl = 28_800;
      fake.fault = null;
      fake.faultOnce = false;
      expect(fake.errors).toEqual([]);
    }
  });

  /** A refresh as another copy of the app would send it, answered as GitHub answers it. */
  const refreshElsewhere = async (fake: FakeGitHub, refreshToken: string | undefined) => {
    const response = await fetch(fake.endpoints.token, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: refreshToken ?? '',
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

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
  describe('OAuth App with expiring user tokens (opted in, or offline_access)', () => {
    it('gets 8-hour gho_ tokens with a rotating refresh token; the spent one is refused with bad_refresh_token', async () => {
      const clock = createShiftableClock();
      const app = await newApp(expiringOAuthApp, { clock }, ['read:user', 'repo']);
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      expect(account).toMatchObject({
        canRefresh: true,
        status: 'ok',
        displayName: 'octocat',
        // OAuth App tokens carry OAuth scopes, expiring or not.
        scopes: ['read:user', 'repo'],
      });
      expect(account.expiresAt).toBeGreaterThan(clock.now() + 8 * HOUR - 60_000);
      expect(account.expiresAt).toBeLessThanOrEqual(clock.now() + 8 * HOUR);
      const first = await app.secrets(account.id);
      expect(first.accessToken).toMatch(/^gho_/);
      expect(first.refreshToken).toMatch(/^ghr_/);

      // Due for the app: a copy refreshes first, and GitHub rotates both tokens.
      const tokenRequests = expiringOAuthApp.tokenRequests().length;
      clock.shift(8 * HOUR - 30_000);
      ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
      const second = await app.secrets(account.id);
      expect(app.fixture.clipboard.writes.at(-1)).toBe(second.accessToken);
      expect(second.accessToken).toMatch(/^gho_/);
      expect(second.refreshToken).toMatch(/^ghr_/);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(await expiringOAuthApp.isAccessTokenActive(first.accessToken)).toBe(false);
      expect(await expiringOAuthApp.isAccessTokenActive(second.accessToken)).toBe(true);
      expect(
        grants(expiringOAuthApp.tokenRequests().slice(tokenRequests), 'refresh_token'),
      ).toEqual([
        expect.objectContaining({
          refresh_token: first.refreshToken,
          client_secret: expiringOAuthApp.clientSecret,
        }),
      ]);

      // The spent refresh token is refused, in GitHub's shape (HTTP 200, bad_refresh_token).
      const spent = await refreshElsewhere(expiringOAuthApp, first.refreshToken);
      expect(spent.status).toBe(200);
      expect(spent.body).toMatchObject({
        error: 'bad_refresh_token',
        error_description: 'The refresh token passed is incorrect or expired.',
      });
      expect(spent.body.error_uri).toMatch(/^https:\/\/docs\.github\.com\//);

      // The kept one refreshes again, and GitHub says how long each lasts.
      ok(await app.api.refreshAccount({ accountId: account.id }));
      const third = await app.secrets(account.id);
      expect(await expiringOAuthApp.isRefreshTokenActive(second.refreshToken ?? '')).toBe(false);
      const rotated = await refreshElsewhere(expiringOAuthApp, third.refreshToken);
      expect(rotated.body).toMatchObject({
        expires_in: 28_800,
        refresh_token_expires_in: GITHUB_REFRESH_TOKEN_TTL,
        token_type: 'bearer',
        scope: 'read:user,repo',
      });
      expect(GITHUB_REFRESH_TOKEN_TTL).toBe(15_897_600);
    });

    it('an OAuth App that did not opt in gets expiring tokens for a sign-in with offline_access', async () => {
      const app = await newApp(oauthApp, {}, ['read:user', 'offline_access']);
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      expect(oauthApp.authorizationRequests.at(-1)?.scope).toBe('read:user offline_access');
      expect(account.canRefresh).toBe(true);
      expect(account.expiresAt).toBeGreaterThan(Date.now() + 8 * HOUR - 60_000);
      const first = await app.secrets(account.id);
      expect(first.refreshToken).toMatch(/^ghr_/);
      ok(await app.api.refreshAccount({ accountId: account.id }));
      const second = await app.secrets(account.id);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(await oauthApp.isRefreshTokenActive(first.refreshToken ?? '')).toBe(false);
    });
  });

  describe('disconnect of a grant with a refresh token', () => {
    const revocations = (fake: FakeGitHub, before: number) =>
      fake.requests.slice(before).filter((r) => r.path.startsWith('/applications/'));

    it.each([
      ['a GitHub App', () => githubApp],
      ['an OAuth App with expiring tokens', () => expiringOAuthApp],
    ])(
      '%s: DELETE …/grant ends the refresh token too, not only the access token',
      async (_, fakeOf) => {
        const fake = fakeOf();
        const app = await newApp(fake);
        const { account } = ok(await app.api.connect({ providerId: 'github' }));
        const secrets = await app.secrets(account.id);
        const before = fake.requests.length;
        const tokenRequests = fake.tokenRequests().length;

        const answer = ok(await app.api.disconnect({ accountId: account.id }));
        expect(answer.revocation).toEqual({ status: 'revoked' });
        const [revoke, ...more] = revocations(fake, before);
        expect(more).toEqual([]);
        expect(revoke).toMatchObject({
          method: 'DELETE',
          path: `/applications/${fake.clientId}/grant`,
          form: { access_token: secrets.accessToken },
        });
        expect(revoke && basicCredentials(revoke)).toEqual({
          id: fake.clientId,
          secret: fake.clientSecret,
        });
        // A valid access token: no refresh was needed.
        expect(fake.tokenRequests().length).toBe(tokenRequests);
        expect(await fake.isAccessTokenActive(secrets.accessToken)).toBe(false);
        expect(await fake.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(false);
        expect((await refreshElsewhere(fake, secrets.refreshToken)).body.error).toBe(
          'bad_refresh_token',
        );
        expect(await app.accounts()).toEqual([]);
      },
    );

    it('an expired access token is refreshed first (GitHub knows only valid ones), then the grant is deleted', async () => {
      expiringOAuthApp.accessTokenTtl = 1;
      const app = await newApp(expiringOAuthApp);
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      const secrets = await app.secrets(account.id);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await expiringOAuthApp.isAccessTokenActive(secrets.accessToken)).toBe(false);
      const before = expiringOAuthApp.requests.length;
      const tokenRequests = expiringOAuthApp.tokenRequests().length;

      const answer = ok(await app.api.disconnect({ accountId: account.id }));
      expect(answer.revocation).toEqual({ status: 'revoked' });
      const [refresh, ...moreRefreshes] = grants(
        expiringOAuthApp.tokenRequests().slice(tokenRequests),
        'refresh_token',
      );
      expect(moreRefreshes).toEqual([]);
      expect(refresh).toMatchObject({ refresh_token: secrets.refreshToken });
      const [revoke, ...more] = revocations(expiringOAuthApp, before);
      expect(more).toEqual([]);
      expect(revoke?.path).toBe(`/applications/${expiringOAuthApp.clientId}/grant`);
      expect(revoke?.form.access_token).toMatch(/^gho_/);
      expect(revoke?.form.access_token).not.toBe(secrets.accessToken);

      // Nothing of the grant is left: not the old refresh token, not the pair the refresh made.
      expect(await expiringOAuthApp.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(false);
      expect(await expiringOAuthApp.isAccessTokenActive(revoke?.form.access_token ?? '')).toBe(
        false,
      );
      expect(await app.accounts()).toEqual([]);
    });

    it('a 404 while the refresh token still works is not a confirmation: it refreshes and deletes the grant', async () => {
      const clock = createShiftableClock();
      expiringOAuthApp.accessTokenTtl = 1;
      // The app's clock runs behind GitHub's: the token looks valid to the app, not to GitHub.
      clock.shift(-HOUR);
      const app = await newApp(expiringOAuthApp, { clock });
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      const secrets = await app.secrets(account.id);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      clock.shift(-10_000);
      const before = expiringOAuthApp.requests.length;

      const answer = ok(await app.api.disconnect({ accountId: account.id }));
      expect(answer.revocation).toEqual({ status: 'revoked' });
      expect(revocations(expiringOAuthApp, before).map((r) => r.path)).toEqual([
        `/applications/${expiringOAuthApp.clientId}/grant`,
        `/applications/${expiringOAuthApp.clientId}/grant`,
      ]);
      expect(await expiringOAuthApp.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(false);
    });

    it('after the user removed the app at GitHub, neither token is known: reported revoked', async () => {
      const app = await newApp(githubApp);
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      const secrets = await app.secrets(account.id);
      // The user removes the app in their settings: the whole grant ends.
      const removed = await fetch(
        `${githubApp.endpoints.apiBase}/applications/${githubApp.clientId}/grant`,
        {
          method: 'DELETE',
          headers: {
            authorization: `Basic ${Buffer.from(`${githubApp.clientId}:${githubApp.clientSecret}`).toString('base64')}`,
            'content-type': 'application/json',
            'user-agent': 'test',
          },
          body: JSON.stringify({ access_token: secrets.accessToken }),
        },
      );
      expect(removed.status).toBe(204);

      const answer = ok(await app.api.disconnect({ accountId: account.id }));
      expect(answer.revocation).toEqual({ status: 'revoked' });
      expect(await app.accounts()).toEqual([]);
    });

    it('an expired access token whose refresh fails is reported as not revoked, truthfully', async () => {
      expiringOAuthApp.accessTokenTtl = 1;
      const app = await newApp(expiringOAuthApp);
      const { account } = ok(await app.api.connect({ providerId: 'github' }));
      const secrets = await app.secrets(account.id);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expiringOAuthApp.fault = '500';
      expiringOAuthApp.faultOnce = true;

      const answer = ok(await app.api.disconnect({ accountId: account.id }));
      expect(answer.revocation).toMatchObject({
        status: 'failed',
        error: { group: 'oauth', code: 1202 },
      });
      expect(await app.accounts()).toEqual([]);
      // The grant is still alive at GitHub, as reported.
      expect(await expiringOAuthApp.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(true);
      expectCleanError(
        (answer.revocation as { error: Parameters<typeof expectCleanError>[0] }).error,
        [secrets.accessToken, secrets.refreshToken, expiringOAuthApp.clientSecret],
      );
    });
  });
});
