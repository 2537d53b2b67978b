/**
 * Google, as its documentation says it behaves (docs/PROVIDERS.md, "Google"), through the real
 * core and the shipped Google preset pointed at tests/support/fake-google.ts:
 * - the authorization request asks for a refresh token (access_type=offline, prompt=consent) with
 *   PKCE S256, state and nonce; the exchange sends the client secret and the verifier;
 * - the account is keyed by the ID token's `sub` and shown by its email;
 * - ID tokens whose `iss` is written with or without `https://` (both documented) are accepted,
 *   at connect and at refresh; any other issuer is still refused;
 * - a refresh without a new refresh token keeps the old one, which keeps working;
 * - disconnecting revokes at Google's revoke endpoint;
 * - invalid_grant on refresh (access removed at Google) → reconnect needed, account kept;
 * - exchange({ provider, code }) for a code obtained outside the app.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../main/core/accounts/account-record';
import { isError } from '../../shared/errors';
import { startFakeGoogle, type FakeGoogle } from '../support/fake-google';
import { s256Challenge } from '../support/pkce-check';
import { failed, ok } from './core-fixture';
import {
  createProviderApp,
  expectCleanError,
  grants,
  type ProviderApp,
  type ProviderAppOptions,
} from './providers-app';

describe('Google', () => {
  let google: FakeGoogle;
  let apps: ProviderApp[] = [];

  beforeAll(async () => {
    google = await startFakeGoogle();
  });
  afterAll(async () => {
    await google?.stop();
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    apps = [];
    google.fault = null;
    google.faultOnce = false;
    google.nextUser = 'alice';
    google.idTokenIssuer = undefined;
    expect(google.errors).toEqual([]);
  });

  const newApp = async (options: ProviderAppOptions = {}) => {
    const app = createProviderApp({ google }, options);
    apps.push(app);
    await app.save({
      presetId: 'google',
      clientId: google.clientId,
      clientSecret: google.clientSecret,
    });
    return app;
  };

  const connect = async (app: ProviderApp, login = 'alice') => {
    google.nextUser = login;
    return ok(await app.api.connect({ providerId: 'google' })).account;
  };

  it('asks for a refresh token with PKCE S256, state and nonce, and exchanges with the secret and verifier', async () => {
    const app = await newApp();
    const before = google.requests.length;
    const account = await connect(app);

    // The system browser + loopback (Google blocks embedded browsers): a redirect with a port.
    expect(app.consent.requests[0]).toMatchObject({ mode: 'system-browser', providerId: 'google' });
    const authorization = google.authorizationRequests.at(-1) ?? {};
    expect(authorization).toMatchObject({
      client_id: google.clientId,
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    expect(authorization.state).toMatch(/^[\w-]{22,}$/);
    expect(authorization.nonce).toMatch(/^[\w-]{22,}$/);
    expect(authorization.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(new URL(authorization.redirect_uri ?? '').port).not.toBe('');
    expect(new URL(authorization.redirect_uri ?? '').pathname).toBe('/callback/google');

    const [exchange, ...more] = grants(google.requests.slice(before), 'authorization_code');
    expect(more).toEqual([]);
    expect(exchange).toMatchObject({
      client_id: google.clientId,
      client_secret: google.clientSecret,
      redirect_uri: authorization.redirect_uri,
    });
    // The verifier matches the challenge of the authorization request.
    expect(s256Challenge(exchange?.code_verifier ?? '')).toBe(authorization.code_challenge);

    expect(account).toMatchObject({ status: 'ok', canRefresh: true, presetId: 'google' });
    const secrets = await app.secrets(account.id);
    expect(secrets.refreshToken).toMatch(/^1\/\/0g/);
    expect(await google.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(true);
  });

  it('keys the account by the ID token sub and shows the email; a changed email updates the same account', async () => {
    const app = await newApp();
    const alice = google.userFor('alice');
    const account = await connect(app, 'alice');
    expect(account.subject).toBe(alice.sub);
    expect(account.id).toBe(accountIdFor('google', alice.sub));
    expect(account).toMatchObject({ displayName: alice.email, email: alice.email });
    // Google answers granted scopes in URL form.
    expect(account.scopes).toEqual(
      expect.arrayContaining(['openid', 'https://www.googleapis.com/auth/userinfo.email']),
    );

    // Same person, new address (Google lets users change it): still one account, renamed.
    Object.assign(alice, { email: 'alice.renamed@gmail.example' });
    const again = ok(await app.api.connect({ providerId: 'google' }));
    expect(again.created).toBe(false);
    expect(again.account).toMatchObject({
      id: account.id,
      displayName: 'alice.renamed@gmail.example',
    });

    const bob = await connect(app, 'bob');
    expect(bob.id).not.toBe(account.id);
    expect((await app.accounts()).map((a) => a.displayName).sort()).toEqual([
      'alice.renamed@gmail.example',
      'bob@gmail.example',
    ]);
  });

  it('accepts ID tokens whose iss is the issuer without its scheme, at connect and refresh; another issuer is refused', async () => {
    const app = await newApp();
    // Google's two documented spellings: `https://accounts.google.com` and
    // `accounts.google.com` (the stand-in's base URL written without its scheme).
    google.idTokenIssuer = google.url.replace(/^http:\/\//, '');
    const account = await connect(app, 'ivy');
    expect(account).toMatchObject({
      subject: google.userFor('ivy').sub,
      displayName: 'ivy@gmail.example',
      status: 'ok',
    });
    ok(await app.api.refreshAccount({ accountId: account.id }));
    google.idTokenIssuer = undefined;
    ok(await app.api.refreshAccount({ accountId: account.id }));

    // Any other issuer is still refused: the ID token is not the provider's.
    for (const issuer of ['https://evil.example', `evil.example/${google.url}`, `${google.url}/`]) {
      google.idTokenIssuer = issuer;
      const refused = failed(await app.api.connect({ providerId: 'google' }));
      expect(refused.message).toMatch(/iss/i);
      expectCleanError(refused, [google.clientSecret]);
    }
    expect(await app.accounts()).toHaveLength(1);
  });

  it('keeps the refresh token when a refresh returns none, and the next refresh sends it again', async () => {
    const app = await newApp();
    const account = await connect(app, 'carol');
    const original = await app.secrets(account.id);
    const before = google.requests.length;

    const first = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(first).toMatchObject({ status: 'ok', canRefresh: true });
    const afterFirst = await app.secrets(account.id);
    expect(afterFirst.accessToken).not.toBe(original.accessToken);
    expect(afterFirst.refreshToken).toBe(original.refreshToken);

    const second = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(second.status).toBe('ok');
    const afterSecond = await app.secrets(account.id);
    expect(afterSecond.accessToken).not.toBe(afterFirst.accessToken);
    expect(await google.isAccessTokenActive(afterSecond.accessToken)).toBe(true);

    const refreshes = grants(google.requests.slice(before), 'refresh_token');
    expect(refreshes).toHaveLength(2);
    for (const refresh of refreshes) {
      expect(refresh).toMatchObject({
        refresh_token: original.refreshToken,
        client_id: google.clientId,
        client_secret: google.clientSecret,
      });
    }

    // Copy hands out the refreshed token.
    ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(app.fixture.clipboard.writes.at(-1)).toBe(afterSecond.accessToken);
  });

  it('disconnect revokes the grant at the revoke endpoint and removes the account', async () => {
    const app = await newApp();
    const account = await connect(app, 'dave');
    const secrets = await app.secrets(account.id);
    const before = google.requests.length;

    const answer = ok(await app.api.disconnect({ accountId: account.id }));
    expect(answer).toEqual({ accountId: account.id, revocation: { status: 'revoked' } });
    // The refresh token first (it ends the whole grant at Google); the access token after it,
    // which Google then refuses with HTTP 400 invalid_token: already gone, not a failure.
    const revokes = google.requests.slice(before).filter((r) => r.path === '/revoke');
    expect(revokes.map((r) => r.form)).toEqual([
      expect.objectContaining({ token: secrets.refreshToken, token_type_hint: 'refresh_token' }),
      expect.objectContaining({ token: secrets.accessToken, token_type_hint: 'access_token' }),
    ]);
    expect(await google.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(false);
    expect(await google.isAccessTokenActive(secrets.accessToken)).toBe(false);
    expect(await app.accounts()).toEqual([]);
  });

  it('disconnect after the user already removed the app at Google still reports it revoked', async () => {
    const app = await newApp();
    const account = await connect(app, 'dora');
    const secrets = await app.secrets(account.id);
    const removed = await fetch(google.endpoints.revocation, {
      method: 'POST',
      body: new URLSearchParams({ token: secrets.accessToken }),
    });
    expect(removed.status).toBe(200);

    const answer = ok(await app.api.disconnect({ accountId: account.id }));
    expect(answer.revocation).toEqual({ status: 'revoked' });
    expect(await app.accounts()).toEqual([]);
  });

  it('disconnect reports a revocation Google did not confirm, and still removes the account', async () => {
    // The revoke endpoint is down behind a gateway; everything else works.
    const app = await newApp({
      fetch: (input, init) => {
        const url =
          typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        return url === google.endpoints.revocation
          ? Promise.resolve(
              new Response('<html><body>503 Service Unavailable</body></html>', {
                status: 503,
                headers: { 'content-type': 'text/html' },
              }),
            )
          : fetch(input, init);
      },
    });
    const account = await connect(app, 'dirk');
    const secrets = await app.secrets(account.id);

    const answer = ok(await app.api.disconnect({ accountId: account.id }));
    expect(answer.revocation).toEqual({
      status: 'failed',
      error: {
        group: 'oauth',
        code: 1202,
        message: 'The provider did not confirm the revocation: HTTP 503',
      },
    });
    expect(await app.accounts()).toEqual([]);
    // Truthfully reported: the grant is still alive at Google.
    expect(await google.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(true);
  });

  it('invalid_grant on refresh (access removed at Google) → reconnect needed, account kept', async () => {
    const app = await newApp();
    const account = await connect(app, 'erin');
    const secrets = await app.secrets(account.id);
    // The user removes the app in their Google account settings.
    const removed = await fetch(google.endpoints.revocation, {
      method: 'POST',
      body: new URLSearchParams({ token: secrets.refreshToken ?? '' }),
    });
    expect(removed.status).toBe(200);

    const error = failed(await app.api.refreshAccount({ accountId: account.id }));
    expect(isError(error, 'reconnectNeeded')).toBe(true);
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('Token has been expired or revoked.');
    expectCleanError(error, [secrets.accessToken, secrets.refreshToken, google.clientSecret]);

    const listed = await app.account(account.id);
    expect(listed).toMatchObject({
      status: 'reconnect-needed',
      lastError: { group: 'refresh', code: 0 },
    });
    // Nothing deleted: the stored tokens are still there until the user reconnects.
    expect((await app.secrets(account.id)).refreshToken).toBe(secrets.refreshToken);

    // Reconnecting the same person heals the same account.
    const healed = ok(await app.api.connect({ providerId: 'google' }));
    expect(healed).toMatchObject({ created: false, account: { id: account.id, status: 'ok' } });
    expect(healed.account.lastError).toBeUndefined();
  });

  describe('exchange({ provider, code }) for a code obtained outside the app', () => {
    const registered = 'http://127.0.0.1/callback/google';

    it('answers success, the access token and its expiry, never the refresh token', async () => {
      const app = await newApp();
      const verifier = 'v'.repeat(20) + '-external-verifier-0123456789';
      const code = google.createCode('frank', {
        redirectUri: registered,
        codeChallenge: s256Challenge(verifier),
        codeChallengeMethod: 'S256',
      });
      const answer = ok(
        await app.api.exchange({ provider: 'google', code, codeVerifier: verifier }),
      );
      expect(Object.keys(answer).sort()).toEqual(['accountId', 'expiresAt', 'success', 'token']);
      expect(answer.success).toBe(true);
      expect(await google.isAccessTokenActive(answer.token)).toBe(true);
      expect(answer.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
      expect(answer.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);

      const secrets = await app.secrets(answer.accountId);
      expect(secrets.refreshToken).toBeDefined();
      expect(JSON.stringify(answer)).not.toContain(secrets.refreshToken);
      expect(JSON.stringify(answer)).not.toContain(google.clientSecret);
      // The code became an account like any other, keyed by the ID token's sub.
      expect(await app.account(answer.accountId)).toMatchObject({
        subject: google.userFor('frank').sub,
        displayName: 'frank@gmail.example',
        canRefresh: true,
      });
      const sent = grants(google.tokenRequests(), 'authorization_code').at(-1);
      expect(sent).toMatchObject({ redirect_uri: registered, code_verifier: verifier });
    });

    it('a bad or reused code → oauth/2 with Google’s words; a malformed one → request/0 without echoing it', async () => {
      const app = await newApp();
      const code = google.createCode('gina', { redirectUri: registered });
      ok(await app.api.exchange({ provider: 'google', code }));

      const reused = failed(await app.api.exchange({ provider: 'google', code }));
      expect(isError(reused, 'invalidAuthorizationCode')).toBe(true);
      expect(reused.message).toContain('invalid_grant');
      expectCleanError(reused, [code, google.clientSecret]);

      const unknown = failed(
        await app.api.exchange({ provider: 'google', code: '4/0Anot-a-real-code' }),
      );
      expect(isError(unknown, 'invalidAuthorizationCode')).toBe(true);
      expect(unknown.message).toContain('Malformed auth code.');

      const malformed = failed(
        await app.api.exchange({ provider: 'google', code: '4/0A has spaces' }),
      );
      expect(isError(malformed, 'invalidField')).toBe(true);
      expect(malformed.validationDetail).toEqual([
        expect.objectContaining({ field: 'code', expression: 'pattern' }),
      ]);
      expect(malformed.validationDetail?.[0]).not.toHaveProperty('originalValue');
      expect(JSON.stringify(malformed)).not.toContain('has spaces');
      expect(await app.accounts()).toHaveLength(1);
    });

    it('a provider 5xx → oauth/1200, and nothing is stored', async () => {
      const app = await newApp();
      const code = google.createCode('hank', { redirectUri: registered });
      google.fault = '500';
      google.faultOnce = true;
      const error = failed(await app.api.exchange({ provider: 'google', code }));
      expect(isError(error, 'exchangeFailed')).toBe(true);
      expect(error.message).toContain('HTTP 500');
      expectCleanError(error, [code, google.clientSecret]);
      expect(await app.accounts()).toEqual([]);
    });
  });
});
