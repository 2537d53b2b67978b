/**
 * A refresh and the other things that can happen to the same account while it is on its way: a
 * reconnect of the same person, a copy, an explicit Refresh after the provider refused the token.
 * Through the real core and API, with the refresh request held at the network until the test
 * lets it go.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccountLocks } from '../../../../main/core/accounts/account-locks';
import type { FetchLike } from '../../../../main/core/http/http-client';
import type { SecretBox } from '../../../../main/core/ports';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { heldRefreshes } from '../../helpers/held-refreshes';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  oauthError,
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const MINUTE = 60_000;

let provider: TinyOAuthProvider;
let f: ApiFixture | undefined;

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  f?.dispose();
  f = undefined;
  provider.reset();
  vi.restoreAllMocks();
});

const codeExchanges = (): number =>
  provider.server.requests.filter((r) => r.form.grant_type === 'authorization_code').length;

const connected = async (options: { fetch?: FetchLike; clock?: FakeClock } = {}) => {
  const fixture = createApiFixture({
    consent: scriptedConsent(answerWithCode()),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  f = fixture;
  ok(
    await fixture.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      clientSecret: 'local-client-secret',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
  const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
  return { fixture, accountId: account.id };
};

describe('a reconnect while a refresh of the same account is on its way', () => {
  it('keeps the reconnect’s refresh token, not the one the refresh started with', async () => {
    const held = heldRefreshes();
    const { fixture, accountId } = await connected({ fetch: held.fetch });
    // The refresh answers without a new refresh token (Google); the reconnect brings a new one.
    provider.script.refresh = () => tokenReply({ access_token: 'at-refreshed', scope: 'read' });
    provider.script.code = () =>
      tokenReply({
        access_token: 'at-reconnected',
        refresh_token: 'rt-reconnected',
        scope: 'read',
      });

    const refresh = fixture.api.refreshAccount({ accountId });
    await vi.waitFor(() => expect(held.held()).toBe(1));
    const reconnect = fixture.api.connect({ providerId: 'local' });
    await vi.waitFor(() => expect(codeExchanges()).toBe(2));
    held.release();
    ok(await refresh);
    expect(ok(await reconnect).created).toBe(false);

    const secrets = await fixture.parts.repo.accountSecrets(accountId);
    expect(secrets).toMatchObject({
      accessToken: 'at-reconnected',
      refreshToken: 'rt-reconnected',
    });
    // And the app goes on using it.
    ok(await fixture.api.refreshAccount({ accountId }));
    expect(provider.server.requests.at(-1)?.form.refresh_token).toBe('rt-reconnected');
  });

  it('keeps a refresh token the refresh rotated, when the reconnect brings none', async () => {
    const held = heldRefreshes();
    const { fixture, accountId } = await connected({ fetch: held.fetch });
    provider.script.refresh = () =>
      tokenReply({ access_token: 'at-refreshed', refresh_token: 'rt-rotated', scope: 'read' });
    provider.script.code = () => tokenReply({ access_token: 'at-reconnected', scope: 'read' });

    const refresh = fixture.api.refreshAccount({ accountId });
    await vi.waitFor(() => expect(held.held()).toBe(1));
    const reconnect = fixture.api.connect({ providerId: 'local' });
    await vi.waitFor(() => expect(codeExchanges()).toBe(2));
    held.release();
    ok(await refresh);
    ok(await reconnect);

    // The token the refresh started with is spent; the rotated one is the one that works.
    expect(await fixture.parts.repo.accountSecrets(accountId)).toMatchObject({
      accessToken: 'at-reconnected',
      refreshToken: 'rt-rotated',
    });
  });

  it('is not marked "reconnect needed" by the refusal of the token it replaced', async () => {
    const held = heldRefreshes();
    const { fixture, accountId } = await connected({ fetch: held.fetch });
    provider.script.refresh = () => oauthError(400, 'invalid_grant', 'refresh token revoked');

    const refresh = fixture.api.refreshAccount({ accountId });
    await vi.waitFor(() => expect(held.held()).toBe(1));
    const reconnect = fixture.api.connect({ providerId: 'local' });
    await vi.waitFor(() => expect(codeExchanges()).toBe(2));
    held.release();
    expect(failed(await refresh)).toMatchObject({ group: 'refresh' });
    ok(await reconnect);

    const [account] = ok(await fixture.api.listAccounts());
    expect(account).toMatchObject({ id: accountId, status: 'ok' });
    expect(account?.lastError).toBeUndefined();
  });
});

describe('a copy that joins a refresh which then fails', () => {
  it('still gets the token held, when it is good for longer than the margin', async () => {
    const clock = new FakeClock(Date.now());
    const held = heldRefreshes();
    const { fixture, accountId } = await connected({ fetch: held.fetch, clock });
    provider.script.refresh = () => ({ status: 503, text: 'down for maintenance' });
    // Five minutes left of an hour: the background refresh is due, a copy alone would not be.
    await clock.advance(55 * MINUTE);
    const copyAsked = vi.spyOn(fixture.parts.refresher, 'freshToken');

    const background = fixture.parts.refresher.refresh(accountId);
    const copy = fixture.api.copyToken({ accountId, format: 'bare' });
    // The copy has joined the background refresh (an event, not a wait) before it fails.
    await vi.waitFor(() => expect(copyAsked).toHaveBeenCalledTimes(1));
    expect(fixture.parts.refresher.isRefreshing(accountId)).toBe(true);
    held.release();
    await expect(background).rejects.toMatchObject({ errorName: 'refreshFailed' });

    ok(await copy);
    expect(await fixture.clipboard.readText()).toBe('access-token-1');
  });

  it('gets the refresh’s error when the token held is past the margin', async () => {
    const clock = new FakeClock(Date.now());
    const held = heldRefreshes();
    const { fixture, accountId } = await connected({ fetch: held.fetch, clock });
    provider.script.refresh = () => ({ status: 503, text: 'down for maintenance' });
    await clock.advance(59.5 * MINUTE);
    const copyAsked = vi.spyOn(fixture.parts.refresher, 'freshToken');

    const background = fixture.parts.refresher.refresh(accountId);
    const copy = fixture.api.copyToken({ accountId, format: 'bare' });
    await vi.waitFor(() => expect(copyAsked).toHaveBeenCalledTimes(1));
    expect(fixture.parts.refresher.isRefreshing(accountId)).toBe(true);
    held.release();
    await expect(background).rejects.toBeDefined();

    expect(failed(await copy)).toMatchObject({ group: 'refresh', code: 1 });
    expect(await fixture.clipboard.readText()).toBe('');
  });
});

describe('Refresh on an account whose refresh token was refused', () => {
  it('stays "reconnect needed" when the retry meets a passing fault', async () => {
    const { fixture, accountId } = await connected();
    provider.script.refresh = () => oauthError(400, 'invalid_grant', 'refresh token revoked');
    failed(await fixture.api.refreshAccount({ accountId }));
    expect(ok(await fixture.api.listAccounts())[0]?.status).toBe('reconnect-needed');

    provider.script.refresh = () => ({ status: 503, text: 'down for maintenance' });
    expect(failed(await fixture.api.refreshAccount({ accountId }))).toMatchObject({
      group: 'refresh',
      code: 1,
    });

    const [account] = ok(await fixture.api.listAccounts());
    expect(account?.status).toBe('reconnect-needed');
    expect(account?.lastError?.message).toMatch(/refused the refresh token/);
  });
});

describe('what a refresh answer changes', () => {
  it('a refused client (invalid_client) needs reconnecting, and the token is not sent again', async () => {
    const clock = new FakeClock(Date.now());
    const { fixture, accountId } = await connected({ clock });
    provider.script.refresh = () =>
      oauthError(401, 'invalid_client', 'client authentication failed');

    expect(failed(await fixture.api.refreshAccount({ accountId }))).toMatchObject({
      group: 'oauth',
    });
    expect(ok(await fixture.api.listAccounts())[0]?.status).toBe('reconnect-needed');

    // Past expiry a copy would need a refresh: it is refused instead of resending the token.
    await clock.advance(61 * MINUTE);
    const sent = provider.server.requests.length;
    expect(failed(await fixture.api.copyToken({ accountId, format: 'bare' }))).toMatchObject({
      group: 'refresh',
      code: 0,
    });
    expect(provider.server.requests.length).toBe(sent);
    expect(await fixture.clipboard.readText()).toBe('');
  });

  it('a copy past expiry on an account whose refresh token was refused sends nothing', async () => {
    const clock = new FakeClock(Date.now());
    const { fixture, accountId } = await connected({ clock });
    provider.script.refresh = () => oauthError(400, 'invalid_grant', 'refresh token revoked');
    failed(await fixture.api.refreshAccount({ accountId }));

    await clock.advance(61 * MINUTE);
    const sent = provider.server.requests.length;
    const error = failed(await fixture.api.copyToken({ accountId, format: 'bare' }));

    expect(error).toMatchObject({ group: 'refresh', code: 0 });
    expect(provider.server.requests.length).toBe(sent);
  });

  it('scopes the provider grants on refresh become the account’s scopes', async () => {
    const { fixture, accountId } = await connected();
    provider.script.refresh = () =>
      tokenReply({ access_token: 'at-narrower', scope: 'read:basic' });

    const refreshed = ok(await fixture.api.refreshAccount({ accountId }));

    expect(refreshed.scopes).toEqual(['read:basic']);
    expect(ok(await fixture.api.listAccounts())[0]?.scopes).toEqual(['read:basic']);
  });
});

describe('a disconnect while a reconnect is saving', () => {
  it('waits for the save, then removes the account for good', async () => {
    const inner = createTestSecretBox();
    let hold: Promise<void> | undefined;
    let held = false;
    const secretBox: SecretBox = {
      encrypt: async (plain) => {
        if (hold) {
          held = true;
          await hold;
        }
        return inner.encrypt(plain);
      },
      decrypt: (cipher) => inner.decrypt(cipher),
    };
    const fixture = createApiFixture({ consent: scriptedConsent(answerWithCode()), secretBox });
    f = fixture;
    ok(
      await fixture.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        scopes: ['read'],
        endpoints: provider.endpoints,
      }),
    );
    const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
    provider.script.code = () =>
      tokenReply({ access_token: 'at-reconnected', refresh_token: 'rt-reconnected' });
    // Who asks for the account's lock, in order: the reconnect's save, then the disconnect.
    const lockedBy = vi.spyOn(AccountLocks.prototype, 'run');
    const locksTaken = () => lockedBy.mock.calls.filter(([id]) => id === account.id).length;

    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const reconnect = fixture.api.connect({ providerId: 'local' });
    await vi.waitFor(() => expect(held).toBe(true));
    let disconnected = false;
    const disconnect = fixture.api.disconnect({ accountId: account.id }).finally(() => {
      disconnected = true;
    });
    // Events, not a wait: the disconnect is queued behind the save, or (if it did not wait) has
    // already revoked and deleted — then the save brings the account back, and the checks
    // below say so.
    await vi.waitFor(() => expect(locksTaken() === 2 || disconnected).toBe(true));
    hold = undefined;
    release();
    ok(await reconnect);
    ok(await disconnect);

    expect(ok(await fixture.api.listAccounts())).toEqual([]);
    expect(fixture.parts.repo.account(account.id)).toBeUndefined();
    // What was revoked is what the reconnect saved: the newest tokens, not the replaced ones.
    const revoked = provider.server.requests
      .filter((r) => r.path === '/revoke')
      .map((r) => r.form.token);
    expect(revoked).toContain('rt-reconnected');
    expect(revoked).not.toContain('refresh-token-1');
  });
});
