/**
 * Connecting accounts against oidc-provider through its real login and consent pages in
 * Chromium: the account the user sees, the token they copy (alive at the provider, accepted by
 * its userinfo endpoint), what lands on disk, and how a second person and a reconnect are told
 * apart.
 */
import { describe, expect, it } from 'vitest';
import { ok } from './core-fixture';
import { PROVIDER_ID, userinfo } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

const HOUR = 3_600_000;

describe('connecting an OpenID Connect account (oidc-provider, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true });
  const { newApp } = peers;

  it('adds the account with the signed-in person, the granted scopes and a future expiry', async () => {
    const app = await newApp();
    expect(await app.accounts()).toEqual([]);
    peers.server.resetCounts();

    const before = Date.now();
    const { account, created } = ok(await app.connectAs('alice'));
    const after = Date.now();

    expect(created).toBe(true);
    expect(await app.accounts()).toEqual([account]);
    expect(account).toMatchObject({
      providerId: PROVIDER_ID,
      presetId: 'oidc',
      subject: 'alice',
      email: 'alice@example.test',
      displayName: 'alice@example.test',
      status: 'ok',
      canRefresh: true,
      refreshing: false,
    });
    expect(account.lastError).toBeUndefined();
    expect([...account.scopes].sort()).toEqual(['email', 'offline_access', 'openid', 'profile']);
    expect(account.obtainedAt).toBeGreaterThanOrEqual(before);
    expect(account.obtainedAt).toBeLessThanOrEqual(after);
    // oidc-provider's default access token lifetime here is one hour.
    expect(account.expiresAt).toBe(account.obtainedAt + HOUR);

    // One authorization, one code exchange, nothing more.
    expect(peers.server.counts.authorizationRequests).toBe(1);
    expect(peers.server.counts.authorizationCodeRequests).toBe(1);
    expect(peers.server.counts.tokenRequests).toBe(1);
    expect(app.port.openSessions).toBe(0);

    // The request the browser was sent to: PKCE S256, nonce, the registered loopback redirect.
    const url = app.port.lastAuthorizationUrl;
    expect(url?.href.startsWith(`${peers.server.issuer}/auth?`)).toBe(true);
    expect(url?.searchParams.get('client_id')).toBe('test-oidc');
    expect(url?.searchParams.get('redirect_uri')).toBe('http://127.0.0.1/callback/test-oidc');
    expect(url?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url?.searchParams.get('nonce')).toBeTruthy();
  });

  it('copies an access token the provider accepts, and a curl line that works as pasted', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    peers.server.resetCounts();

    const copied = ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(copied).toMatchObject({ accountId: account.id, expiresAt: account.expiresAt });
    const token = app.fixture.clipboard.writes.at(-1) ?? '';
    expect(token).toBe((await app.secrets(account.id)).accessToken);
    expect(await peers.server.isAccessTokenActive(token)).toBe(true);
    const me = await userinfo(peers.server, token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ sub: 'alice', email: 'alice@example.test' });

    // The curl format points at the userinfo endpoint found by discovery.
    ok(await app.api.copyToken({ accountId: account.id, format: 'curl' }));
    const curl = app.fixture.clipboard.writes.at(-1) ?? '';
    const parsed = /^curl -H '([^']*)' '([^']*)'$/.exec(curl);
    expect(parsed?.[2]).toBe(`${peers.server.issuer}/me`);
    const [name, value] = (parsed?.[1] ?? '').split(': ');
    const response = await fetch(parsed?.[2] ?? '', { headers: { [name ?? '']: value ?? '' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'alice' });

    // A fresh token is handed out as it is: copying sent nothing to the token endpoint.
    expect(peers.server.counts.tokenRequests).toBe(0);
  });

  it('keeps neither the access token nor the refresh token in plain text in the store file', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const secrets = await app.secrets(account.id);
    expect(secrets.refreshToken).toBeTypeOf('string');

    const onDisk = await app.storeText();
    // The file is the account's store (the check below is not vacuous)…
    expect(onDisk).toContain(account.id);
    expect(onDisk).toContain('alice@example.test');
    // …and none of the tokens appear in it.
    expect(onDisk).not.toContain(secrets.accessToken);
    expect(onDisk).not.toContain(secrets.refreshToken ?? '');
    expect(onDisk).not.toContain(secrets.idToken ?? '');
  });

  it('adds a second account for another person, and updates the first when that person signs in again', async () => {
    const app = await newApp();
    const alice = ok(await app.connectAs('alice')).account;
    const bob = ok(await app.connectAs('bob'));

    expect(bob.created).toBe(true);
    expect(bob.account.id).not.toBe(alice.id);
    expect(bob.account).toMatchObject({ subject: 'bob', email: 'bob@example.test' });
    const listed = await app.accounts();
    expect(listed.map((a) => a.subject).sort()).toEqual(['alice', 'bob']);

    const aliceBefore = await app.secrets(alice.id);
    const bobBefore = await app.secrets(bob.account.id);

    const again = ok(await app.connectAs('alice'));
    expect(again.created).toBe(false);
    expect(again.account.id).toBe(alice.id);
    expect(await app.accounts()).toHaveLength(2);
    expect(again.account.createdAt).toBe(alice.createdAt);
    expect(again.account.obtainedAt).toBeGreaterThan(alice.obtainedAt);
    expect(again.account.updatedAt).toBeGreaterThan(alice.updatedAt);

    // The reconnect stored the new tokens: the copied token is the new one, and it works.
    const aliceAfter = await app.secrets(alice.id);
    expect(aliceAfter.accessToken).not.toBe(aliceBefore.accessToken);
    expect(aliceAfter.refreshToken).not.toBe(aliceBefore.refreshToken);
    ok(await app.api.copyToken({ accountId: alice.id, format: 'bare' }));
    expect(app.fixture.clipboard.writes.at(-1)).toBe(aliceAfter.accessToken);
    expect((await userinfo(peers.server, aliceAfter.accessToken)).body).toMatchObject({
      sub: 'alice',
    });

    // Bob's account was not touched.
    expect(await app.secrets(bob.account.id)).toEqual(bobBefore);
    expect(await app.account(bob.account.id)).toEqual(bob.account);
  });

  it('connects in system-browser mode, where the redirect URI carries the loopback port', async () => {
    const app = await newApp({ consentMode: 'system-browser' });
    const { account } = ok(await app.connectAs('carol'));
    expect(account.subject).toBe('carol');

    const redirect = new URL(app.port.lastAuthorizationUrl?.searchParams.get('redirect_uri') ?? '');
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(redirect.port).not.toBe('');
    expect(redirect.pathname).toBe('/callback/test-oidc');
    expect(
      await peers.server.isAccessTokenActive((await app.secrets(account.id)).accessToken),
    ).toBe(true);
  });
});
