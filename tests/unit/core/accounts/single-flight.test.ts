/**
 * Single-flight: however many callers want an account refreshed at once — copies, Refresh
 * clicks, the background timer — one refresh request reaches the provider, and they all get its
 * answer. With rotating refresh tokens a second request would present a spent token, and a
 * compliant provider revokes the whole grant (docs/PROVIDERS.md).
 *
 * The rule lives in one place, the Refresher's map of refreshes under way, reached through
 * `refresh` (Refresh now, the background timer) and `freshToken` (a copy). These tests fail
 * without that map. Each holds the refresh request at the
 * network until every caller has asked (`refresh` is watched to know when), so the callers are
 * concurrent by construction, not by timing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { heldRefreshes, type HeldRefreshes } from '../../helpers/held-refreshes';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const MINUTE = 60_000;
const CALLERS = 20;

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

const refreshRequests = () =>
  provider.server.requests.filter((r) => r.form.grant_type === 'refresh_token');

/** A provider that rotates: each refresh answers a new access and refresh token. */
const rotating = () => {
  let n = 1;
  provider.script.refresh = () => {
    n += 1;
    return tokenReply({
      access_token: `access-token-${n}`,
      refresh_token: `refresh-token-${n}`,
      scope: 'read',
    });
  };
};

interface Setup {
  readonly fixture: ApiFixture;
  readonly clock: FakeClock;
  readonly held: HeldRefreshes;
  readonly accountIds: string[];
  /** Calls to Refresher.refresh and Refresher.freshToken so far: every caller's way in. */
  readonly asked: () => number;
}

const setUp = async (options: { accounts?: number; keepFresh?: boolean } = {}): Promise<Setup> => {
  const clock = new FakeClock(Date.now());
  const held = heldRefreshes();
  const fixture = createApiFixture({
    consent: scriptedConsent(answerWithCode()),
    clock,
    fetch: held.fetch,
    keepFresh: options.keepFresh ?? false,
    random: () => 0.5,
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
  const accountIds: string[] = [];
  for (let i = 1; i <= (options.accounts ?? 1); i++) {
    provider.script.userinfo = () => ({ status: 200, json: { sub: `user-${i}` } });
    provider.script.code = () =>
      tokenReply({
        access_token: `access-token-1-of-user-${i}`,
        refresh_token: `refresh-token-1-of-user-${i}`,
        scope: 'read',
      });
    accountIds.push(ok(await fixture.api.connect({ providerId: 'local' })).account.id);
  }
  const refresh = vi.spyOn(fixture.parts.refresher, 'refresh');
  const freshToken = vi.spyOn(fixture.parts.refresher, 'freshToken');
  const asked = () => refresh.mock.calls.length + freshToken.mock.calls.length;
  return { fixture, clock, held, accountIds, asked };
};

/** Lets the held refresh go once `callers` have asked for it. */
const releaseWhenAsked = async (s: Setup, callers: number) => {
  await vi.waitFor(() => expect(s.asked()).toBe(callers));
  s.held.release();
};

describe('single-flight refresh (Refresher)', () => {
  it('callers of refresh() at once share one request and one answer', async () => {
    const s = await setUp();
    const [id = ''] = s.accountIds;
    rotating();

    const refreshes = Array.from({ length: CALLERS }, () => s.fixture.parts.refresher.refresh(id));
    await releaseWhenAsked(s, CALLERS);
    const answers = await Promise.all(refreshes);

    expect(refreshRequests()).toHaveLength(1);
    expect(new Set(answers).size).toBe(1);
    expect(await s.fixture.parts.repo.accountSecrets(id)).toMatchObject({
      accessToken: 'access-token-2',
      refreshToken: 'refresh-token-2',
    });
  });

  it(`${CALLERS} clicks on Refresh at once send one refresh request`, async () => {
    const s = await setUp();
    const [accountId = ''] = s.accountIds;
    rotating();

    const clicks = Array.from({ length: CALLERS }, () =>
      s.fixture.api.refreshAccount({ accountId }),
    );
    await releaseWhenAsked(s, CALLERS);
    const views = (await Promise.all(clicks)).map(ok);

    expect(refreshRequests()).toHaveLength(1);
    expect(new Set(views.map((v) => v.obtainedAt)).size).toBe(1);
  });

  it('copies of an expired token at once, through the API and freshToken, send one request and copy one token', async () => {
    const s = await setUp();
    const [accountId = ''] = s.accountIds;
    rotating();
    await s.clock.advance(61 * MINUTE);

    const callers = Array.from({ length: CALLERS }, (_, i) =>
      i % 2 === 0
        ? s.fixture.parts.refresher.freshToken(accountId).then((fresh) => fresh.accessToken)
        : s.fixture.api.copyToken({ accountId, format: 'bare' }).then((answer) => {
            ok(answer);
            return 'copied';
          }),
    );
    await releaseWhenAsked(s, CALLERS);
    const tokens = await Promise.all(callers);

    expect(refreshRequests()).toHaveLength(1);
    expect(
      new Set([...tokens.filter((t) => t !== 'copied'), ...s.fixture.clipboard.writes]),
    ).toEqual(new Set(['access-token-2']));
  });

  it('a copy while the background timer refreshes joins that refresh and copies its token', async () => {
    const s = await setUp({ keepFresh: true });
    const [accountId = ''] = s.accountIds;
    rotating();
    // The background refresh falls due five minutes before expiry; the token is still good.
    await s.clock.advance(55 * MINUTE);
    await vi.waitFor(() => expect(s.held.held()).toBe(1));

    const copy = s.fixture.api.copyToken({ accountId, format: 'bare' });
    await releaseWhenAsked(s, 2);
    ok(await copy);

    expect(refreshRequests()).toHaveLength(1);
    expect(await s.fixture.clipboard.readText()).toBe('access-token-2');
  });

  it('a refresh that fails fails once for everyone waiting, with one request', async () => {
    const s = await setUp();
    const [accountId = ''] = s.accountIds;
    provider.script.refresh = () => ({ status: 503, text: 'down for maintenance' });

    const clicks = Array.from({ length: CALLERS }, () =>
      s.fixture.api.refreshAccount({ accountId }),
    );
    await releaseWhenAsked(s, CALLERS);
    const errors = (await Promise.all(clicks)).map(failed);

    expect(refreshRequests()).toHaveLength(1);
    expect(new Set(errors.map((e) => JSON.stringify(e))).size).toBe(1);
    expect(errors[0]).toMatchObject({ group: 'refresh', code: 1 });
  });

  it('two accounts at once: one request each, each with its own refresh token', async () => {
    const s = await setUp({ accounts: 2 });
    rotating();

    const callers = Array.from({ length: CALLERS }, (_, i) =>
      s.fixture.parts.refresher.refresh(s.accountIds[i % 2] ?? ''),
    );
    await releaseWhenAsked(s, CALLERS);
    await Promise.all(callers);

    expect(
      refreshRequests()
        .map((r) => r.form.refresh_token)
        .sort(),
    ).toEqual(['refresh-token-1-of-user-1', 'refresh-token-1-of-user-2']);
  });

  it('joins only while the refresh is under way: the next one sends its own request', async () => {
    const s = await setUp();
    const [accountId = ''] = s.accountIds;
    rotating();
    s.held.release();

    ok(await s.fixture.api.refreshAccount({ accountId }));
    ok(await s.fixture.api.refreshAccount({ accountId }));

    expect(refreshRequests().map((r) => r.form.refresh_token)).toEqual([
      'refresh-token-1-of-user-1',
      'refresh-token-2',
    ]);
  });
});
