/**
 * Refreshing through a token backend (issue 16), with oidc-provider issuing and checking every
 * token behind the backend:
 * - Google-style and standard, with rotation on (the answer names a new refresh token: stored,
 *   the old one spent) and off (Google-style: no `refreshToken` in the answer; standard: the same
 *   one back): the refresh token kept keeps working;
 * - 100 concurrent fresh-token calls for an expired token → one refresh at the backend (and one
 *   at the provider), the same live token for all;
 * - the keep-fresh timer refreshes a short-lived token through the backend;
 * - a GitHub-style token does not expire: copies never call the backend.
 * The app's clock is moved past expiry (createShiftableClock); the provider keeps real time.
 */
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/model';
import { setUpBackendPeers, type BackendApp, type ShapeUnderTest } from './backend-app';
import { ok } from './core-fixture';
import { waitUntil } from './oidc-app';
import { createShiftableClock } from './providers-app';

const HOUR_MS = 3_600_000;
const CALLERS = 100;

type Refreshing = Exclude<ShapeUnderTest, 'github'>;
const REFRESHING: readonly Refreshing[] = ['google', 'standard'];

describe('refreshing through a token backend (oidc-provider, Chromium)', () => {
  const peers = setUpBackendPeers({ rotateRefreshToken: true });

  const connected = async (
    shape: Refreshing,
    login: string,
    options: Parameters<typeof peers.newApp>[0] = {},
  ): Promise<{ app: BackendApp; account: AccountView }> => {
    // Google blocks embedded windows: its backend's redirect is a loopback one with a port.
    const app = peers.newApp({
      consent: shape === 'google' ? 'system-browser' : 'embedded',
      ...options,
    });
    ok(await app.save(shape));
    const { account } = ok(await app.connectAs(shape, login));
    return { app, account };
  };

  for (const shape of REFRESHING) {
    it(`${shape}: with a new refresh token in the answer, it is stored and the old one is spent`, async () => {
      const backend = peers.backendOf(shape);
      const { app, account } = await connected(shape, `${shape}-rotating`);
      const before = await app.secrets(account.id);
      const refreshesBefore = backend.counts.refreshes;

      const view = ok(await app.api.refreshAccount({ accountId: account.id }));
      expect(view).toMatchObject({ status: 'ok', canRefresh: true });
      expect(backend.counts.refreshes).toBe(refreshesBefore + 1);
      const request = backend.refreshRequests.at(-1);
      expect(request?.headers.authorization).toMatch(/^Bearer /);
      if (shape === 'google') {
        expect(JSON.parse(request?.rawBody ?? '')).toEqual({ refresh_token: before.refreshToken });
      } else {
        expect(request?.form).toMatchObject({
          grant_type: 'refresh_token',
          refresh_token: before.refreshToken,
        });
        expect(request?.form.client_secret).toBeUndefined();
      }

      const after = await app.secrets(account.id);
      const answer = backend.providerAnswers.at(-1)?.body ?? {};
      expect(after.accessToken).toBe(answer.access_token);
      expect(after.refreshToken).toBe(answer.refresh_token);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(await peers.server.isRefreshTokenActive(after.refreshToken ?? '')).toBe(true);
      expect(await peers.server.isAccessTokenActive(after.accessToken)).toBe(true);
      expect(view.expiresAt).toBeGreaterThan(Date.now() + HOUR_MS - 100_000);
    });

    it(`${shape}: without a new refresh token, the old one is kept and sent again next time`, async () => {
      const backend = peers.backendOf(shape);
      const { app, account } = await connected(shape, `${shape}-keeping`);
      peers.server.setRotation(false);
      const before = await app.secrets(account.id);

      ok(await app.api.refreshAccount({ accountId: account.id }));
      if (shape === 'google') {
        // As Google does: the answer names no refreshToken at all.
        const reply = JSON.parse(backend.answers.at(-1)?.body ?? '{}') as Record<string, unknown>;
        expect(reply).toMatchObject({ success: true });
        expect('refreshToken' in reply).toBe(false);
      }
      const middle = await app.secrets(account.id);
      expect(middle.accessToken).not.toBe(before.accessToken);
      expect(middle.refreshToken).toBe(before.refreshToken);

      const view = ok(await app.api.refreshAccount({ accountId: account.id }));
      expect(view.status).toBe('ok');
      const sent = backend.refreshRequests.slice(-2).map((r) => r.form.refresh_token);
      expect(sent).toEqual([before.refreshToken, before.refreshToken]);
      const after = await app.secrets(account.id);
      expect(after.refreshToken).toBe(before.refreshToken);
      expect(await peers.server.isAccessTokenActive(after.accessToken)).toBe(true);
      expect(await peers.server.isRefreshTokenActive(after.refreshToken ?? '')).toBe(true);
    });

    it(`${shape}: ${CALLERS} concurrent fresh-token calls for an expired token → one backend refresh, one token for all`, async () => {
      const backend = peers.backendOf(shape);
      const clock = createShiftableClock();
      const { app, account } = await connected(shape, `${shape}-crowd`, { clock });
      const before = await app.secrets(account.id);
      clock.shift(2 * HOUR_MS);
      const backendBefore = backend.counts.refreshes;
      peers.server.resetCounts();

      const results = await Promise.all(
        Array.from({ length: CALLERS }, (_, i) =>
          i % 2 === 0
            ? app.fixture.parts.refresher.freshToken(account.id).then((fresh) => fresh.accessToken)
            : app.api
                .copyToken({ accountId: account.id, format: 'bare' })
                .then((answer) => (ok(answer), 'copied')),
        ),
      );

      expect(backend.counts.refreshes).toBe(backendBefore + 1);
      expect(peers.server.counts.refreshRequests).toBe(1);
      const tokens = new Set([
        ...results.filter((r) => r !== 'copied'),
        ...app.fixture.clipboard.writes,
      ]);
      expect(tokens.size).toBe(1);
      const [token = ''] = [...tokens];
      expect(token).not.toBe(before.accessToken);
      expect(await peers.server.isAccessTokenActive(token)).toBe(true);
      // Rotation happened once: no reuse of a spent refresh token (which kills the grant).
      expect(peers.server.events.filter((e) => e.includes('invalid_grant'))).toEqual([]);
      const after = await app.secrets(account.id);
      expect(await peers.server.isRefreshTokenActive(after.refreshToken ?? '')).toBe(true);
    });
  }

  for (const shape of REFRESHING) {
    it(`${shape}: the keep-fresh timer refreshes a short-lived token through the backend before it expires`, async () => {
      const backend = peers.backendOf(shape);
      // Four-second access tokens: the timer fires about two seconds in (refreshLead).
      peers.server.setAccessTokenTtl(4);
      try {
        const { app, account } = await connected(shape, `${shape}-timer`, { keepFresh: true });
        const before = await app.secrets(account.id);
        const refreshes = backend.counts.refreshes;
        expect(await waitUntil(() => backend.counts.refreshes > refreshes, 10_000, 20)).toBe(true);
        // The backend was asked before the token the app held had expired.
        expect(Date.now()).toBeLessThan(account.expiresAt ?? 0);
        expect(
          await waitUntil(
            async () => (await app.secrets(account.id)).accessToken !== before.accessToken,
            5_000,
          ),
        ).toBe(true);
        const after = await app.secrets(account.id);
        expect(await peers.server.isAccessTokenActive(after.accessToken)).toBe(true);
        expect((await app.account(account.id))?.status).toBe('ok');
      } finally {
        peers.server.setAccessTokenTtl(3600);
      }
    });
  }

  it('GitHub-style: the token does not expire; copies a day later never call the backend', async () => {
    const { github } = peers;
    const clock = createShiftableClock();
    const app = peers.newApp({ consent: 'embedded', clock });
    ok(await app.save('github'));
    const { account } = ok(await app.connectAs('github', 'gale'));
    const calls = github.requests.length;
    clock.shift(24 * HOUR_MS);
    for (let i = 0; i < 5; i += 1)
      ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(github.requests.length).toBe(calls);
    expect(github.counts.refreshes).toBe(0);
    const [copied] = new Set(app.fixture.clipboard.writes);
    expect(await peers.server.isAccessTokenActive(copied ?? '')).toBe(true);
  });
});
