/**
 * Disconnecting against oidc-provider: the grant is revoked at the provider (RFC 7009), so the
 * tokens the user may have pasted elsewhere stop working; the account and its secrets leave the
 * app and the store file; other accounts are untouched.
 */
import { describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import { failed, ok } from './core-fixture';
import { userinfo, type OidcApp } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

/** Records every refresh token the core stores from now on (they leave with the account). */
const captureSavedRefreshTokens = (app: OidcApp): string[] => {
  const saved: string[] = [];
  const repo = app.fixture.parts.repo;
  const saveAccount = repo.saveAccount.bind(repo);
  repo.saveAccount = async (stored, secrets, options) => {
    if (secrets?.refreshToken !== undefined) saved.push(secrets.refreshToken);
    await saveAccount(stored, secrets, options);
  };
  return saved;
};

describe('disconnecting an OpenID Connect account (oidc-provider, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true });
  const { newApp } = peers;

  it('revokes the tokens at the provider, then removes the account and its secrets', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    // The user copied the token somewhere: it works until the disconnect.
    ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    const pasted = app.fixture.clipboard.writes.at(-1) ?? '';
    const secrets = await app.secrets(account.id);
    expect(pasted).toBe(secrets.accessToken);
    expect((await userinfo(peers.server, pasted)).status).toBe(200);
    expect(await peers.server.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(true);
    expect(await app.storeText()).toContain(account.id);
    peers.server.resetCounts();

    const answer = ok(await app.api.disconnect({ accountId: account.id }));

    expect(answer).toEqual({ accountId: account.id, revocation: { status: 'revoked' } });
    // Refresh token first, then the access token.
    expect(peers.server.counts.revocationRequests).toBe(2);
    expect(await peers.server.isAccessTokenActive(secrets.accessToken)).toBe(false);
    expect(await peers.server.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(false);
    expect((await userinfo(peers.server, pasted)).status).toBe(401);

    expect(await app.accounts()).toEqual([]);
    expect(await app.storeText()).not.toContain(account.id);
    await expect(app.fixture.parts.repo.accountSecrets(account.id)).resolves.toBeUndefined();
    const gone = failed(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(isError(gone, 'accountNotFound')).toBe(true);
    // Nothing was refreshed on the way out.
    expect(peers.server.counts.tokenRequests).toBe(0);
  });

  it('disconnecting one person leaves the other account and its tokens working', async () => {
    const app = await newApp();
    const alice = ok(await app.connectAs('alice')).account;
    const bob = ok(await app.connectAs('bob')).account;
    const bobSecrets = await app.secrets(bob.id);

    expect(ok(await app.api.disconnect({ accountId: alice.id })).revocation.status).toBe('revoked');

    expect((await app.accounts()).map((a) => a.id)).toEqual([bob.id]);
    expect(await app.secrets(bob.id)).toEqual(bobSecrets);
    expect(await peers.server.isAccessTokenActive(bobSecrets.accessToken)).toBe(true);
    expect(await peers.server.isRefreshTokenActive(bobSecrets.refreshToken ?? '')).toBe(true);
    expect(ok(await app.api.refreshAccount({ accountId: bob.id })).status).toBe('ok');
  });

  it('a disconnect during a refresh waits for it: the account stays gone and the refreshed tokens are dead', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const before = await app.secrets(account.id);
    const saved = captureSavedRefreshTokens(app);

    const refreshing = app.api.refreshAccount({ accountId: account.id });
    const answer = ok(await app.api.disconnect({ accountId: account.id }));
    expect(ok(await refreshing).status).toBe('ok');

    expect(answer.revocation.status).toBe('revoked');
    expect(saved).toHaveLength(1);
    expect(saved[0]).not.toBe(before.refreshToken);
    expect(await peers.server.isRefreshTokenActive(saved[0] ?? '')).toBe(false);
    expect(await app.accounts()).toEqual([]);
    expect(await app.storeText()).not.toContain(account.id);
  });

  it('a refresh asked for during a disconnect waits for it, sends nothing, and cannot bring the account back', async () => {
    // The background timer fires while the revocation is on its way: the refresh waits for the
    // disconnect (one change at a time per account), then finds the account gone.
    let releaseRevocation = () => {};
    const revocationGate = new Promise<void>((resolve) => (releaseRevocation = resolve));
    let revocationSent = () => {};
    const revocationOnItsWay = new Promise<void>((resolve) => (revocationSent = resolve));
    let armed = false;
    const app = await newApp({
      fetch: async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (armed && url.endsWith('/token/revocation')) {
          revocationSent();
          await revocationGate;
        }
        return fetch(input, init);
      },
    });
    const { account } = ok(await app.connectAs('alice'));
    armed = true;
    peers.server.resetCounts();

    const disconnecting = app.api.disconnect({ accountId: account.id });
    await revocationOnItsWay;
    const refreshing = app.api.refreshAccount({ accountId: account.id });
    releaseRevocation();
    expect(ok(await disconnecting).revocation.status).toBe('revoked');
    expect(isError(failed(await refreshing), 'accountNotFound')).toBe(true);

    expect(peers.server.counts.refreshRequests).toBe(0);
    expect(await app.accounts()).toEqual([]);
    expect(await app.storeText()).not.toContain(account.id);
    await expect(app.fixture.parts.repo.accountSecrets(account.id)).resolves.toBeUndefined();
  });
});
