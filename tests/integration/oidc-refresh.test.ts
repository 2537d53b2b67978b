/**
 * Refreshing against oidc-provider: with and without refresh-token rotation (one request per
 * refresh, the right refresh token kept), the background scheduler renewing a short-lived token
 * before it expires, and a refresh token the provider no longer accepts turning the account into
 * "reconnect needed" without deleting anything until the user reconnects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import type { AccountView } from '../../shared/model';
import { failed, ok } from './core-fixture';
import { revokeBehindTheAppsBack, userinfo, waitUntil } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

describe('refreshing an OpenID Connect account (oidc-provider, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true });
  const { newApp } = peers;

  afterEach(() => {
    // Tests turn rotation off or shorten the token lifetime; the next test starts from the file's.
    peers.server.setRotation(true);
    peers.server.setAccessTokenTtl(3600);
  });

  it('with rotation, each refresh sends one request and swaps in the new refresh token; the old one is dead', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const first = await app.secrets(account.id);
    peers.server.resetCounts();

    const once = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(peers.server.counts.refreshRequests).toBe(1);
    expect(peers.server.counts.tokenRequests).toBe(1);
    expect(once).toMatchObject({ id: account.id, status: 'ok', refreshing: false });
    expect(once.obtainedAt).toBeGreaterThan(account.obtainedAt);
    expect(once.expiresAt ?? 0).toBeGreaterThan(account.expiresAt ?? 0);

    const second = await app.secrets(account.id);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(await peers.server.isRefreshTokenActive(first.refreshToken ?? '')).toBe(false);
    expect(await peers.server.isRefreshTokenActive(second.refreshToken ?? '')).toBe(true);
    expect(await peers.server.isAccessTokenActive(second.accessToken)).toBe(true);

    // The stored (rotated) refresh token is the one used next: no reuse, the grant survives.
    const twice = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(peers.server.counts.refreshRequests).toBe(2);
    expect(twice.status).toBe('ok');
    const third = await app.secrets(account.id);
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect(await peers.server.isRefreshTokenActive(third.refreshToken ?? '')).toBe(true);
    expect(peers.server.events.filter((e) => e.includes('invalid_grant'))).toEqual([]);

    // What the user copies is the newest access token, and the provider accepts it.
    ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(app.fixture.clipboard.writes.at(-1)).toBe(third.accessToken);
    expect((await userinfo(peers.server, third.accessToken)).status).toBe(200);
  });

  it('without rotation, each refresh sends one request and keeps the refresh token, which stays alive', async () => {
    peers.server.setRotation(false);
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const first = await app.secrets(account.id);
    peers.server.resetCounts();

    for (const expected of [1, 2]) {
      const view = ok(await app.api.refreshAccount({ accountId: account.id }));
      expect(peers.server.counts.refreshRequests).toBe(expected);
      expect(view.status).toBe('ok');
      const now = await app.secrets(account.id);
      expect(now.refreshToken).toBe(first.refreshToken);
      expect(now.accessToken).not.toBe(first.accessToken);
      expect(await peers.server.isAccessTokenActive(now.accessToken)).toBe(true);
    }
    expect(await peers.server.isRefreshTokenActive(first.refreshToken ?? '')).toBe(true);
  });

  it('renews a short-lived token in the background before it expires, so it never is', async () => {
    // Four-second tokens: the scheduler's lead is two seconds, so two renewals take about four.
    peers.server.setAccessTokenTtl(4);
    const app = await newApp({ keepFresh: true });
    const { account } = ok(await app.connectAs('alice'));
    expect((account.expiresAt ?? 0) - account.obtainedAt).toBe(4_000);
    peers.server.resetCounts();

    let latest: AccountView | undefined = account;
    const expiredWhenChecked: number[] = [];
    const renewedTwice = await waitUntil(
      async () => {
        latest = await app.account(account.id);
        const now = Date.now();
        if (latest === undefined || latest.status !== 'ok' || (latest.expiresAt ?? 0) <= now)
          expiredWhenChecked.push(now);
        return peers.server.counts.refreshRequests >= 2;
      },
      12_000,
      100,
    );

    expect(renewedTwice).toBe(true);
    expect(expiredWhenChecked).toEqual([]);
    expect(latest?.expiresAt ?? 0).toBeGreaterThan(account.expiresAt ?? 0);
    // The user did nothing: no connect, no copy; only the scheduler's refreshes reached the server.
    expect(peers.server.counts.tokenRequests).toBe(peers.server.counts.refreshRequests);

    const { accessToken } = await app.fixture.parts.refresher.freshToken(account.id);
    expect(await peers.server.isAccessTokenActive(accessToken)).toBe(true);
    expect(peers.server.events.filter((e) => e.includes('invalid_grant'))).toEqual([]);
  });

  it('a refresh token revoked behind the app’s back makes the account "reconnect needed", deletes nothing, and a reconnect restores it', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const secrets = await app.secrets(account.id);
    await revokeBehindTheAppsBack(peers.server, secrets.refreshToken ?? '', 'refresh_token');
    expect(await peers.server.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(false);
    peers.server.resetCounts();

    const error = failed(await app.api.refreshAccount({ accountId: account.id }));
    expect(isError(error, 'reconnectNeeded')).toBe(true);
    expect(error.group).toBe('refresh');
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('reconnect');
    expect(peers.server.counts.refreshRequests).toBe(1);

    // Still listed, marked, with the reason; the stored tokens are kept as they were.
    const marked = await app.accounts();
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatchObject({
      id: account.id,
      status: 'reconnect-needed',
      lastError: { group: 'refresh', code: error.code },
    });
    expect(await app.secrets(account.id)).toEqual(secrets);
    // The mark is on disk too: after a restart the account still says so.
    const onDisk = JSON.parse(await app.storeText()) as {
      accounts: Record<string, { status: string }>;
    };
    expect(onDisk.accounts[account.id]?.status).toBe('reconnect-needed');

    // Signing in again as the same person brings the same account back to "ok".
    const again = ok(await app.connectAs('alice'));
    expect(again.created).toBe(false);
    expect(again.account.id).toBe(account.id);
    expect(again.account.status).toBe('ok');
    expect(again.account.lastError).toBeUndefined();
    expect(await app.accounts()).toHaveLength(1);
    const renewed = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(renewed.status).toBe('ok');
    expect(
      await peers.server.isAccessTokenActive((await app.secrets(account.id)).accessToken),
    ).toBe(true);
  });
});
