/**
 * Refreshing against oidc-provider: with and without refresh-token rotation (one request per
 * refresh, the right refresh token kept), the background scheduler renewing a short-lived token
 * before it expires, and a refresh token the provider no longer accepts turning the account into
 * "reconnect needed" without deleting anything until the user reconnects.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import type { AccountView } from '../../shared/model';
import { launchChromium } from '../support/chromium';
import { startOidcServer, type OidcServer } from '../support/oidc-server';
import { failed, ok } from './core-fixture';
import {
  createOidcApp,
  revokeBehindTheAppsBack,
  userinfo,
  waitUntil,
  type OidcApp,
  type OidcAppOptions,
} from './oidc-app';

describe('refreshing an OpenID Connect account (oidc-provider, Chromium)', () => {
  let browser: Browser;
  let server: OidcServer;
  let apps: OidcApp[] = [];

  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startOidcServer({ rotateRefreshToken: true }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  beforeEach(() => {
    // Grant errors (invalid_grant …) seen by the server, per test.
    server.events.splice(0);
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    apps = [];
    server.setRotation(true);
    server.setAccessTokenTtl(3600);
  });

  const newApp = async (options: OidcAppOptions = {}) => {
    const app = await createOidcApp(browser, server, options);
    apps.push(app);
    return app;
  };

  it('with rotation, each refresh sends one request and swaps in the new refresh token; the old one is dead', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const first = await app.secrets(account.id);
    server.resetCounts();

    const once = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(server.counts.refreshRequests).toBe(1);
    expect(server.counts.tokenRequests).toBe(1);
    expect(once).toMatchObject({ id: account.id, status: 'ok', refreshing: false });
    expect(once.obtainedAt).toBeGreaterThan(account.obtainedAt);
    expect(once.expiresAt ?? 0).toBeGreaterThan(account.expiresAt ?? 0);

    const second = await app.secrets(account.id);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(await server.isRefreshTokenActive(first.refreshToken ?? '')).toBe(false);
    expect(await server.isRefreshTokenActive(second.refreshToken ?? '')).toBe(true);
    expect(await server.isAccessTokenActive(second.accessToken)).toBe(true);

    // The stored (rotated) refresh token is the one used next: no reuse, the grant survives.
    const twice = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(server.counts.refreshRequests).toBe(2);
    expect(twice.status).toBe('ok');
    const third = await app.secrets(account.id);
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect(await server.isRefreshTokenActive(third.refreshToken ?? '')).toBe(true);
    expect(server.events.filter((e) => e.includes('invalid_grant'))).toEqual([]);

    // What the user copies is the newest access token, and the provider accepts it.
    ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(app.fixture.clipboard.writes.at(-1)).toBe(third.accessToken);
    expect((await userinfo(server, third.accessToken)).status).toBe(200);
  });

  it('without rotation, each refresh sends one request and keeps the refresh token, which stays alive', async () => {
    server.setRotation(false);
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const first = await app.secrets(account.id);
    server.resetCounts();

    for (const expected of [1, 2]) {
      const view = ok(await app.api.refreshAccount({ accountId: account.id }));
      expect(server.counts.refreshRequests).toBe(expected);
      expect(view.status).toBe('ok');
      const now = await app.secrets(account.id);
      expect(now.refreshToken).toBe(first.refreshToken);
      expect(now.accessToken).not.toBe(first.accessToken);
      expect(await server.isAccessTokenActive(now.accessToken)).toBe(true);
    }
    expect(await server.isRefreshTokenActive(first.refreshToken ?? '')).toBe(true);
  });

  it('renews a short-lived token in the background before it expires, so it never is', async () => {
    // Four-second tokens: the scheduler's lead is two seconds, so two renewals take about four.
    server.setAccessTokenTtl(4);
    const app = await newApp({ keepFresh: true });
    const { account } = ok(await app.connectAs('alice'));
    expect((account.expiresAt ?? 0) - account.obtainedAt).toBe(4_000);
    server.resetCounts();

    let latest: AccountView | undefined = account;
    const expiredWhenChecked: number[] = [];
    const renewedTwice = await waitUntil(
      async () => {
        latest = await app.account(account.id);
        const now = Date.now();
        if (latest === undefined || latest.status !== 'ok' || (latest.expiresAt ?? 0) <= now)
          expiredWhenChecked.push(now);
        return server.counts.refreshRequests >= 2;
      },
      12_000,
      100,
    );

    expect(renewedTwice).toBe(true);
    expect(expiredWhenChecked).toEqual([]);
    expect(latest?.expiresAt ?? 0).toBeGreaterThan(account.expiresAt ?? 0);
    // The user did nothing: no connect, no copy; only the scheduler's refreshes reached the server.
    expect(server.counts.tokenRequests).toBe(server.counts.refreshRequests);

    const { accessToken } = await app.fixture.core.accounts.freshToken(account.id);
    expect(await server.isAccessTokenActive(accessToken)).toBe(true);
    expect(server.events.filter((e) => e.includes('invalid_grant'))).toEqual([]);
  });

  it('a refresh token revoked behind the app’s back makes the account "reconnect needed", deletes nothing, and a reconnect restores it', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const secrets = await app.secrets(account.id);
    await revokeBehindTheAppsBack(server, secrets.refreshToken ?? '', 'refresh_token');
    expect(await server.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(false);
    server.resetCounts();

    const error = failed(await app.api.refreshAccount({ accountId: account.id }));
    expect(isError(error, 'reconnectNeeded')).toBe(true);
    expect(error.group).toBe('refresh');
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('reconnect');
    expect(server.counts.refreshRequests).toBe(1);

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
    const onDisk = JSON.parse(app.storeText()) as {
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
    expect(await server.isAccessTokenActive((await app.secrets(account.id)).accessToken)).toBe(
      true,
    );
  });
});
