/**
 * Connecting through a token backend (issue 16), for each published shape, through oidc-provider's
 * real consent pages in Chromium and the real core:
 * - Google-style with the Google preset: the system browser (Google blocks embedded windows) with
 *   the loopback redirect with a fixed port the backend's client registered, both through the
 *   browser consent port and through the app's own loopback listener on that port;
 * - GitHub-style with the GitHub preset and standard with the custom OpenID Connect preset: the
 *   embedded window with the backend's registered web redirect URI, caught from the provider's
 *   redirect (nothing is served there and nothing is loaded); standard also with the system browser.
 * What the app sends each backend is the shape's request exactly, with the backend credential as
 * a bearer token; it never sends the client secret (it has none) nor calls the provider's token
 * endpoint itself; the authorization request keeps state (and nonce where the preset is OIDC) and
 * sends PKCE only to the shape that can pass the verifier on.
 */
import { describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import { s256Challenge } from '../support/pkce-check';
import { githubIdOf } from '../support/token-backends';
import {
  BACKEND_CREDENTIAL,
  GITHUB_CLIENT,
  GOOGLE_CLIENT,
  PROVIDER,
  setUpBackendPeers,
  STANDARD_CLIENT,
  WEB_REDIRECT_URI,
  type BackendPeers,
} from './backend-app';
import { failed, ok } from './core-fixture';

const bearer = `Bearer ${BACKEND_CREDENTIAL}`;

/** The app never calls the provider's token endpoint: every token request there is the backend's. */
const expectOnlyTheBackendAtTheTokenEndpoint = (peers: BackendPeers) => {
  const { google, github, standard, server } = peers;
  expect(server.counts.tokenRequests).toBe(
    google.counts.providerCalls + github.counts.providerCalls + standard.counts.providerCalls,
  );
};

describe('connecting through a token backend (oidc-provider, Chromium)', () => {
  const peers = setUpBackendPeers({ rotateRefreshToken: true });

  it('Google-style: system browser with the registered loopback redirect (fixed port), no PKCE, state and nonce; { code } with the bearer credential', async () => {
    const { google, server } = peers;
    const app = peers.newApp({ consent: 'system-browser' });
    ok(await app.save('google'));
    const { account, created } = ok(await app.connectAs('google', 'alice'));
    expect(created).toBe(true);

    expect(app.port?.requests[0]).toMatchObject({
      mode: 'system-browser',
      redirectUri: peers.loopbackRedirectUri,
    });
    const authorization = app.port?.lastAuthorizationUrl?.searchParams;
    expect(authorization?.get('client_id')).toBe(GOOGLE_CLIENT.clientId);
    expect(authorization?.get('redirect_uri')).toBe(peers.loopbackRedirectUri);
    expect(authorization?.get('state')).toMatch(/^[\w-]{22,}$/);
    expect(authorization?.get('nonce')).toMatch(/^[\w-]{22,}$/);
    // The backend's exchange has no field for a verifier: a challenge would make the code unusable.
    expect(authorization?.has('code_challenge')).toBe(false);

    const [exchange, ...more] = google.exchangeRequests;
    expect(more).toEqual([]);
    expect(exchange?.headers.authorization).toBe(bearer);
    expect(exchange?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(exchange?.rawBody ?? '')).toEqual({ code: expect.any(String) as string });
    expect(exchange?.rawBody).not.toContain(GOOGLE_CLIENT.clientSecret);

    // The account is oidc-provider's user (user-info: the backend's answer has no ID token).
    expect(account).toMatchObject({
      providerId: PROVIDER.google,
      presetId: 'google',
      subject: 'alice',
      email: 'alice@example.test',
      status: 'ok',
      canRefresh: true,
    });
    // expiresAt (seconds here) read as the access token's real lifetime, an hour.
    expect(account.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(account.expiresAt).toBeLessThan(Date.now() + 3_700_000);
    const answer = google.providerAnswers.at(-1)?.body ?? {};
    const secrets = await app.secrets(account.id);
    expect(secrets.accessToken).toBe(answer.access_token);
    expect(secrets.refreshToken).toBe(answer.refresh_token);
    expect(await server.isAccessTokenActive(secrets.accessToken)).toBe(true);
    expectOnlyTheBackendAtTheTokenEndpoint(peers);
  });

  it('Google-style: the app’s own loopback listener takes the registered port and path; the tab says signed in', async () => {
    const { google } = peers;
    const app = peers.newApp({ consent: 'loopback-listener' });
    ok(await app.save('google'));
    const before = google.counts.exchanges;
    const { account } = ok(await app.api.connect({ providerId: PROVIDER.google }));
    const opened = new URL(app.systemBrowser?.opened[0] ?? '');
    expect(opened.searchParams.get('redirect_uri')).toBe(peers.loopbackRedirectUri);
    const tab = await app.systemBrowser?.lastTab();
    expect(`${tab?.url.origin}${tab?.url.pathname}`).toBe(peers.loopbackRedirectUri);
    expect(tab?.text).toContain('You can close this tab');
    expect(google.counts.exchanges).toBe(before + 1);
    expect(account).toMatchObject({ subject: 'loopback-user', status: 'ok', canRefresh: true });
  });

  it('expiresAt in milliseconds is read by its size: the same instant as in seconds', async () => {
    const { google } = peers;
    google.expiresAtUnit = 'ms';
    const app = peers.newApp({ consent: 'system-browser' });
    ok(await app.save('google'));
    const { account } = ok(await app.connectAs('google', 'mia'));
    expect(account.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(account.expiresAt).toBeLessThan(Date.now() + 3_700_000);
  });

  it('GitHub-style: the embedded window catches the registered web redirect URI; { provider: "github", code } → a token that does not expire', async () => {
    const { github, server } = peers;
    const app = peers.newApp({ consent: 'embedded' });
    ok(await app.save('github'));
    const { account } = ok(await app.connectAs('github', 'gwen'));

    expect(app.port?.requests[0]).toMatchObject({
      mode: 'embedded',
      redirectUri: WEB_REDIRECT_URI,
    });
    const authorizationUrl = app.port?.lastAuthorizationUrl;
    expect(authorizationUrl?.href.startsWith(github.github.authorization)).toBe(true);
    expect(authorizationUrl?.searchParams.get('client_id')).toBe(GITHUB_CLIENT.clientId);
    expect(authorizationUrl?.searchParams.get('redirect_uri')).toBe(WEB_REDIRECT_URI);
    expect(authorizationUrl?.searchParams.get('state')).toMatch(/^[\w-]{22,}$/);
    expect(authorizationUrl?.searchParams.has('code_challenge')).toBe(false);
    // Caught from the provider's redirect: nothing connected to the web redirect URI's host.
    expect(peers.webHostConnections).toBe(0);

    const [exchange, ...more] = github.exchangeRequests;
    expect(more).toEqual([]);
    expect(exchange?.headers.authorization).toBe(bearer);
    const body = JSON.parse(exchange?.rawBody ?? '') as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'provider']);
    expect(body.provider).toBe('github');

    expect(account).toMatchObject({
      providerId: PROVIDER.github,
      presetId: 'github',
      subject: String(githubIdOf('gwen')),
      displayName: 'gwen',
      expiresAt: null,
      canRefresh: false,
      status: 'ok',
    });
    const { accessToken, refreshToken } = await app.secrets(account.id);
    expect(refreshToken).toBeUndefined();
    expect(await server.isAccessTokenActive(accessToken)).toBe(true);
    // Copy works as for any account, and needs no backend call.
    const calls = github.requests.length;
    ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(app.fixture.clipboard.writes.at(-1)).toBe(accessToken);
    expect(github.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(github.requests.length).toBe(calls);
    expectOnlyTheBackendAtTheTokenEndpoint(peers);
  });

  it('standard: the embedded window with the web redirect; an RFC 6749 form with the verifier and no secret; the ID token checked', async () => {
    const { standard, server } = peers;
    const app = peers.newApp({ consent: 'embedded' });
    ok(await app.save('standard'));
    const { account } = ok(await app.connectAs('standard', 'sam'));

    const authorization = app.port?.lastAuthorizationUrl?.searchParams;
    expect(authorization?.get('client_id')).toBe(STANDARD_CLIENT.clientId);
    expect(authorization?.get('redirect_uri')).toBe(WEB_REDIRECT_URI);
    expect(authorization?.get('code_challenge_method')).toBe('S256');
    expect(authorization?.get('nonce')).toMatch(/^[\w-]{22,}$/);
    expect(peers.webHostConnections).toBe(0);

    const [exchange, ...more] = standard.exchangeRequests;
    expect(more).toEqual([]);
    expect(exchange?.headers.authorization).toBe(bearer);
    expect(exchange?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(exchange?.form).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: WEB_REDIRECT_URI,
      client_id: STANDARD_CLIENT.clientId,
    });
    expect(exchange?.form.client_secret).toBeUndefined();
    expect(s256Challenge(exchange?.form.code_verifier ?? '')).toBe(
      authorization?.get('code_challenge'),
    );

    expect(account).toMatchObject({
      providerId: PROVIDER.standard,
      presetId: 'oidc',
      subject: 'sam',
      status: 'ok',
      canRefresh: true,
    });
    const answer = standard.providerAnswers.at(-1)?.body ?? {};
    const secrets = await app.secrets(account.id);
    expect(secrets.refreshToken).toBe(answer.refresh_token);
    expect(await server.isAccessTokenActive(secrets.accessToken)).toBe(true);
    expectOnlyTheBackendAtTheTokenEndpoint(peers);
  });

  it('standard: the system browser with the registered loopback redirect (fixed port)', async () => {
    const { standard } = peers;
    const app = peers.newApp({ consent: 'system-browser' });
    ok(await app.save('standard'));
    const { account } = ok(await app.connectAs('standard', 'sid'));
    expect(app.port?.requests[0]?.redirectUri).toBe(peers.loopbackRedirectUri);
    expect(standard.exchangeRequests.at(-1)?.form.redirect_uri).toBe(peers.loopbackRedirectUri);
    expect(account).toMatchObject({ subject: 'sid', status: 'ok' });
  });

  it('GitHub-style: the system browser with the registered loopback redirect (fixed port)', async () => {
    const { github } = peers;
    const app = peers.newApp({ consent: 'system-browser' });
    ok(await app.save('github'));
    const { account } = ok(await app.connectAs('github', 'gus'));
    expect(app.port?.requests[0]).toMatchObject({
      mode: 'system-browser',
      redirectUri: peers.loopbackRedirectUri,
    });
    expect(app.port?.lastAuthorizationUrl?.searchParams.get('redirect_uri')).toBe(
      peers.loopbackRedirectUri,
    );
    expect(JSON.parse(github.exchangeRequests.at(-1)?.rawBody ?? '')).toMatchObject({
      provider: 'github',
    });
    expect(account).toMatchObject({ subject: String(githubIdOf('gus')), status: 'ok' });
  });

  it('without PKCE, state still decides: a callback with another state is refused and no code reaches the backend', async () => {
    const { github } = peers;
    const app = peers.newApp({ consent: 'embedded' });
    ok(await app.save('github'));
    const exchanges = github.counts.exchanges;
    const error = failed(await app.connectAs('github', 'tess', 'tamper-state'));
    expect(isError(error, 'consentStateMismatch')).toBe(true);
    expect(github.counts.exchanges).toBe(exchanges);
    expect(await app.accounts()).toEqual([]);
  });

  it('the iss rule holds through a backend: a callback naming another issuer is refused before any exchange', async () => {
    const { google } = peers;
    const app = peers.newApp({ consent: 'system-browser' });
    ok(await app.save('google'));
    const exchanges = google.counts.exchanges;
    const error = failed(await app.connectAs('google', 'ivan', 'tamper-iss'));
    expect(isError(error, 'consentIssuerMismatch')).toBe(true);
    expect(google.counts.exchanges).toBe(exchanges);
    expect(await app.accounts()).toEqual([]);
  });

  it('a second connect of the same person updates the one account', async () => {
    const app = peers.newApp({ consent: 'embedded' });
    ok(await app.save('github'));
    const first = ok(await app.connectAs('github', 'gil')).account;
    const again = ok(await app.connectAs('github', 'gil'));
    expect(again.created).toBe(false);
    expect(again.account.id).toBe(first.id);
    expect(await app.accounts()).toHaveLength(1);
  });
});

describe('saving a provider that goes through a backend', () => {
  const peers = setUpBackendPeers();

  const viewOf = async (app: ReturnType<BackendPeers['newApp']>, id: string) =>
    ok(await app.api.listProviders()).configured.find((p) => p.id === id);

  it('Google and GitHub presets save without a client secret; the view names the backend, never the credential', async () => {
    const app = peers.newApp({ consent: 'system-browser' });
    const google = ok(await app.save('google'));
    expect(google.backend).toEqual({
      url: peers.google.url,
      shape: 'google-style',
      redirectUri: peers.loopbackRedirectUri,
      hasCredential: true,
    });
    const embedded = peers.newApp({ consent: 'embedded' });
    ok(await embedded.save('github'));
    expect((await viewOf(embedded, PROVIDER.github))?.backend).toEqual({
      url: peers.github.url,
      shape: 'github-style',
      redirectUri: WEB_REDIRECT_URI,
      hasCredential: true,
    });
    for (const each of [app, embedded])
      expect(JSON.stringify(each.window)).not.toContain(BACKEND_CREDENTIAL);
    // Saved again without the credential: kept. With null: removed.
    ok(
      await embedded.save('github', {
        backend: { ...embedded.backendInput('github'), credential: undefined },
      }),
    );
    expect((await viewOf(embedded, PROVIDER.github))?.backend?.hasCredential).toBe(true);
    ok(
      await embedded.save('github', {
        backend: { ...embedded.backendInput('github'), credential: null },
      }),
    );
    expect((await viewOf(embedded, PROVIDER.github))?.backend?.hasCredential).toBe(false);
  });

  it('refuses a client secret, system browser with a web redirect, and Google with a web redirect URI', async () => {
    const app = peers.newApp({ consent: 'embedded' });
    const secret = failed(await app.save('github', { clientSecret: 'not-for-the-desktop' }));
    expect(isError(secret, 'invalidField')).toBe(true);
    expect(secret.validationDetail?.map((d) => d.field)).toContain('clientSecret');

    const webInBrowser = failed(await app.save('standard', { consentMode: 'system-browser' }));
    expect(isError(webInBrowser, 'invalidField')).toBe(true);
    expect(webInBrowser.validationDetail?.map((d) => d.field)).toContain('consentMode');

    const googleWeb = failed(
      await app.save('google', {
        consentMode: 'system-browser',
        backend: { ...app.backendInput('google'), redirectUri: WEB_REDIRECT_URI },
      }),
    );
    expect(isError(googleWeb, 'invalidField')).toBe(true);
    expect(googleWeb.validationDetail?.map((d) => d.field)).toContain('backend.redirectUri');
    expect(ok(await app.api.listProviders()).configured).toEqual([]);
  });
});
