/**
 * The concurrency rule against oidc-provider with refresh-token rotation and reuse detection on:
 * however many callers want a fresh token at once, one refresh request reaches the provider.
 * Two racing refreshes would present the same refresh token twice, which oidc-provider treats as
 * theft and answers by revoking the whole grant — the user would have to sign in again.
 */
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/model';
import { ok } from './core-fixture';
import { userinfo, waitUntil } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

/** Two-second access tokens: expired after a short real wait. */
const TTL_SECONDS = 2;
const CALLERS = 100;

describe('one refresh for many callers (oidc-provider with rotation, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true, accessTokenTtl: TTL_SECONDS });
  const newApp = () => peers.newApp({ keepFresh: false });

  /** Waits (bounded) until every given account's access token has expired, at the app's clock. */
  const waitPastExpiry = async (accounts: readonly AccountView[]) => {
    const last = Math.max(...accounts.map((a) => a.expiresAt ?? Infinity));
    expect(last).toBeLessThan(Date.now() + 5_000);
    expect(await waitUntil(() => Date.now() > last + 50, 6_000, 50)).toBe(true);
  };

  it(`${CALLERS} concurrent requests for an expired token send exactly one refresh, all get the same live token, and the grant survives`, async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const before = await app.secrets(account.id);
    await waitPastExpiry([account]);
    expect(await peers.server.isAccessTokenActive(before.accessToken)).toBe(false);
    peers.server.resetCounts();

    // Half through the core's freshToken (what every copy uses), half through the API's copy,
    // interleaved, all started in the same tick.
    const results = await Promise.all(
      Array.from({ length: CALLERS }, (_, i) =>
        i % 2 === 0
          ? app.fixture.parts.refresher.freshToken(account.id).then((fresh) => fresh.accessToken)
          : app.api
              .copyToken({ accountId: account.id, format: 'bare' })
              .then((answer) => (ok(answer), 'copied')),
      ),
    );

    expect(peers.server.counts.refreshRequests).toBe(1);
    expect(peers.server.counts.tokenRequests).toBe(1);
    const fresh = results.filter((r) => r !== 'copied');
    const copies = app.fixture.clipboard.writes;
    expect(fresh).toHaveLength(CALLERS / 2);
    expect(copies).toHaveLength(CALLERS / 2);
    const tokens = new Set([...fresh, ...copies]);
    expect(tokens.size).toBe(1);
    const [token] = [...tokens];
    expect(token).not.toBe(before.accessToken);
    expect(await peers.server.isAccessTokenActive(token ?? '')).toBe(true);
    expect((await userinfo(peers.server, token ?? '')).body).toMatchObject({ sub: 'alice' });

    // Rotation happened once: the new refresh token is alive, the old one spent, no reuse seen.
    const after = await app.secrets(account.id);
    expect(after.accessToken).toBe(token);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(await peers.server.isRefreshTokenActive(after.refreshToken ?? '')).toBe(true);
    expect(peers.server.events.filter((e) => e.includes('invalid_grant'))).toEqual([]);

    // The account still works: a later refresh succeeds with the rotated token.
    const later = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(later.status).toBe('ok');
    expect(peers.server.counts.refreshRequests).toBe(2);
    const latest = await app.secrets(account.id);
    expect(await peers.server.isAccessTokenActive(latest.accessToken)).toBe(true);
    expect(await peers.server.isRefreshTokenActive(latest.refreshToken ?? '')).toBe(true);
  });

  it('concurrent requests on two expired accounts send one refresh per account, each getting its own token', async () => {
    const app = await newApp();
    const alice = ok(await app.connectAs('alice')).account;
    const bob = ok(await app.connectAs('bob')).account;
    await waitPastExpiry([alice, bob]);
    peers.server.resetCounts();

    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const id = i % 2 === 0 ? alice.id : bob.id;
        return app.fixture.parts.refresher
          .freshToken(id)
          .then((fresh) => ({ id, token: fresh.accessToken }));
      }),
    );

    expect(peers.server.counts.refreshRequests).toBe(2);
    const aliceTokens = new Set(results.filter((r) => r.id === alice.id).map((r) => r.token));
    const bobTokens = new Set(results.filter((r) => r.id === bob.id).map((r) => r.token));
    expect(aliceTokens.size).toBe(1);
    expect(bobTokens.size).toBe(1);
    const [aliceToken = ''] = aliceTokens;
    const [bobToken = ''] = bobTokens;
    expect((await userinfo(peers.server, aliceToken)).body).toMatchObject({ sub: 'alice' });
    expect((await userinfo(peers.server, bobToken)).body).toMatchObject({ sub: 'bob' });
    expect(peers.server.events.filter((e) => e.includes('invalid_grant'))).toEqual([]);
  });

  it('a user clicking "refresh" many times at once sends one refresh request', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    peers.server.resetCounts();

    const views = await Promise.all(
      Array.from({ length: 20 }, () => app.api.refreshAccount({ accountId: account.id })),
    ).then((answers) => answers.map(ok));

    expect(peers.server.counts.refreshRequests).toBe(1);
    expect(new Set(views.map((v) => v.obtainedAt)).size).toBe(1);
    expect(views.every((v) => v.status === 'ok')).toBe(true);
    const { refreshToken } = await app.secrets(account.id);
    expect(await peers.server.isRefreshTokenActive(refreshToken ?? '')).toBe(true);
    expect(peers.server.events.filter((e) => e.includes('invalid_grant'))).toEqual([]);
  });
});
