/**
 * One time limit for Copy and Refresh, however many requests they make. A provider that hangs
 * used to make Copy wait twice the limit: the time-out counted as a lost answer and the retry
 * got a fresh limit. Now the retry gets what is left, and the error says what happened.
 *
 * Time is the core's clock (a fake one): the tests move it and read when the answer came, so
 * "at most one limit" is exact and nothing depends on how fast the machine is. Each request's own
 * time limit (real time) is the same 15 s and never fires within a test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FetchLike } from '../../../../main/core/http/http-client';
import type { Result } from '../../../../shared/errors';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { heldRefreshes, isRefreshRequest } from '../../helpers/held-refreshes';
import { MemoryKv } from '../../helpers/memory-kv';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import { HANG } from '../../helpers/tiny-http-server';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';
import { startTinyIdentityServer, type TinyIdentityServer } from '../oauth/tiny-identity-server';

// Real HTTP round trips on a slow machine: waits are bounded polls of a condition, never sleeps.
vi.setConfig({ testTimeout: 30_000 });
const soon = { timeout: 5_000 };

const LIMIT_MS = 15_000;
const HTTP = { timeoutMs: LIMIT_MS, maxBodyBytes: 1_048_576 };
const MINUTE = 60_000;

let provider: TinyOAuthProvider;
let fixtures: ApiFixture[] = [];

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  for (const fixture of fixtures) fixture.dispose();
  fixtures = [];
  provider.reset();
});

const refreshRequests = (): number =>
  provider.server.requests.filter((r) => r.form.grant_type === 'refresh_token').length;

/** An account whose access token has expired, on a fake clock: Copy has to refresh first. */
const expiredAccount = async (fetch?: FetchLike) => {
  const clock = new FakeClock(Date.now());
  const fixture = createApiFixture({
    consent: scriptedConsent(answerWithCode()),
    clock,
    http: HTTP,
    ...(fetch ? { fetch } : {}),
  });
  fixtures.push(fixture);
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
  await clock.advance(61 * MINUTE);
  return { fixture, clock, accountId: account.id };
};

/** The answer, and the clock's time when it came. */
const timed = <T>(clock: FakeClock, answer: Promise<Result<T>>) => {
  const state: { at?: number; result?: Result<T> } = {};
  void answer.then((result) => {
    state.at = clock.now();
    state.result = result;
  });
  return state;
};

const ACTIONS = {
  Copy: (f: ApiFixture, accountId: string) =>
    f.api.copyToken({ accountId, format: 'bare' }) as Promise<Result<unknown>>,
  Refresh: (f: ApiFixture, accountId: string) =>
    f.api.refreshAccount({ accountId }) as Promise<Result<unknown>>,
};

describe.each(Object.keys(ACTIONS) as (keyof typeof ACTIONS)[])(
  '%s against a token endpoint that hangs',
  (action) => {
    it('answers when the time limit is up, not twice that, and says it was not retried', async () => {
      const { fixture, clock, accountId } = await expiredAccount();
      provider.script.refresh = () => HANG;
      const started = clock.now();
      const answer = timed(clock, ACTIONS[action](fixture, accountId));
      await vi.waitFor(() => expect(refreshRequests()).toBe(1), soon);

      await clock.advance(LIMIT_MS - 1);
      expect(answer.at, 'answered before the limit').toBeUndefined();
      await clock.advance(1);
      await vi.waitFor(
        () => expect(answer.at, 'no answer when the limit was up').toBeDefined(),
        soon,
      );

      expect(answer.at! - started).toBe(LIMIT_MS);
      expect(refreshRequests()).toBe(1);
      const error = failed(answer.result!);
      expect(error).toMatchObject({
        group: 'refresh',
        code: 1,
        message:
          'The refresh failed: the provider did not answer within 15 s (the time limit), so it was not retried.',
      });
      // The account keeps its refresh token and says the same in the list.
      const [listed] = ok(await fixture.api.listAccounts());
      expect(listed).toMatchObject({ status: 'error', refreshing: false, canRefresh: true });
      expect(listed?.lastError?.message).toBe(error.message);
      expect((await fixture.parts.repo.accountSecrets(accountId))?.refreshToken).toBe(
        'refresh-token-1',
      );
    });
  },
);

describe('a lost answer, retried once within what is left of the limit', () => {
  /**
   * The first refresh request is held by the test, then lost as a reset connection would be;
   * later ones go to the provider.
   */
  const firstAnswerLost = () => {
    let lose!: () => void;
    const gate = new Promise<void>((resolve) => (lose = resolve));
    let refreshes = 0;
    const fetchFirstLost: FetchLike = async (input, init) => {
      if (isRefreshRequest(init) && ++refreshes === 1) {
        await gate;
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
        });
      }
      return fetch(input, init);
    };
    return { fetch: fetchFirstLost, lose: () => lose(), refreshes: () => refreshes };
  };

  it('a retry that hangs ends the wait at the one limit, and the message says it retried', async () => {
    const lost = firstAnswerLost();
    const { fixture, clock, accountId } = await expiredAccount(lost.fetch);
    provider.script.refresh = () => HANG;
    const started = clock.now();
    const answer = timed(clock, fixture.api.copyToken({ accountId, format: 'bare' }));
    await vi.waitFor(() => expect(lost.refreshes()).toBe(1), soon);

    // Ten seconds into the limit the first answer is lost; the retry goes out at once.
    await clock.advance(10_000);
    lost.lose();
    await vi.waitFor(() => expect(refreshRequests()).toBe(1), soon);
    await clock.advance(LIMIT_MS - 10_000 - 1);
    expect(answer.at, 'answered before the limit').toBeUndefined();
    await clock.advance(1);
    await vi.waitFor(
      () => expect(answer.at, 'no answer when the limit was up').toBeDefined(),
      soon,
    );

    expect(answer.at! - started).toBe(LIMIT_MS);
    expect(lost.refreshes()).toBe(2);
    const error = failed(answer.result!);
    expect(error).toMatchObject({
      group: 'refresh',
      code: 1,
      message:
        "The refresh failed: the provider's answer was lost, and the retry did not answer within the rest of the 15 s time limit.",
    });
    expect(error.traces).toEqual([
      expect.stringMatching(/^the connection to 127\.0\.0\.1:\d+ was reset \(ECONNRESET\)$/),
      'the provider did not answer within 15 s',
    ]);
  });

  it('a retry that answers in time gives the copy its token', async () => {
    const lost = firstAnswerLost();
    const { fixture, clock, accountId } = await expiredAccount(lost.fetch);
    const started = clock.now();
    const copy = fixture.api.copyToken({ accountId, format: 'bare' });
    await vi.waitFor(() => expect(lost.refreshes()).toBe(1), soon);
    lost.lose();

    ok(await copy);
    expect(clock.now()).toBe(started);
    expect(refreshRequests()).toBe(1);
    expect(await fixture.clipboard.readText()).toBe('access-token-2');
  });
});

describe('a provider that answers slowly, within the limit', () => {
  it('is not cut short: the first try has the whole limit', async () => {
    const slow = heldRefreshes();
    const { fixture, clock, accountId } = await expiredAccount(slow.fetch);
    provider.script.refresh = () => tokenReply({ access_token: 'at-slow', scope: 'read' });
    const copy = fixture.api.copyToken({ accountId, format: 'bare' });
    await vi.waitFor(() => expect(slow.held()).toBe(1), soon);

    await clock.advance(LIMIT_MS - 1);
    slow.release();

    ok(await copy);
    expect(slow.held()).toBe(1);
    expect(await fixture.clipboard.readText()).toBe('at-slow');
  });
});

describe('a discovery document that does not come (OpenID Connect, after a restart)', () => {
  let idp: TinyIdentityServer;
  beforeAll(async () => {
    idp = await startTinyIdentityServer({
      issuerPath: '/realms/test',
      paths: { authorization: '/authorize', token: '/token', userinfo: '/userinfo' },
    });
  });
  afterAll(() => idp.close());

  /** Connected with discovery working, then started again with the discovery hanging. */
  const restartedWithDiscoveryHanging = async () => {
    const kv = new MemoryKv();
    const secretBox = createTestSecretBox();
    const clock = new FakeClock(Date.now());
    const first = createApiFixture({ consent: scriptedConsent(idp.consent()), kv, secretBox });
    fixtures.push(first);
    ok(
      await first.api.saveProvider({
        id: 'realm',
        presetId: 'oidc',
        clientId: idp.clientId,
        issuer: idp.issuer,
      }),
    );
    const { account } = ok(await first.api.connect({ providerId: 'realm' }));
    first.dispose();

    const answers = idp.server.handler;
    idp.server.handler = (request) =>
      request.path.endsWith('/.well-known/openid-configuration') ? HANG : answers(request);
    const discoveries = () =>
      idp.server.requests.filter((r) => r.path.endsWith('/.well-known/openid-configuration'))
        .length;
    const before = discoveries();
    const fixture = createApiFixture({ kv, secretBox, clock, http: HTTP });
    fixtures.push(fixture);
    return {
      fixture,
      clock,
      accountId: account.id,
      discoveryStarted: () => discoveries() > before,
      restore: () => (idp.server.handler = answers),
    };
  };

  it('Refresh answers when the limit is up, saying what did not come', async () => {
    const r = await restartedWithDiscoveryHanging();
    try {
      const started = r.clock.now();
      const answer = timed(r.clock, r.fixture.api.refreshAccount({ accountId: r.accountId }));
      await vi.waitFor(() => expect(r.discoveryStarted()).toBe(true), soon);
      await r.clock.advance(LIMIT_MS);
      await vi.waitFor(() => expect(answer.at).toBeDefined(), soon);

      expect(answer.at! - started).toBe(LIMIT_MS);
      expect(failed(answer.result!)).toMatchObject({
        group: 'refresh',
        code: 1,
        message:
          "The refresh failed: the provider's configuration (its discovery document) did not arrive within 15 s.",
      });
    } finally {
      r.restore();
    }
  });

  it('a curl copy of a still-valid token waits at most the limit for the example URL, then copies without it', async () => {
    const r = await restartedWithDiscoveryHanging();
    try {
      const started = r.clock.now();
      const answer = timed(
        r.clock,
        r.fixture.api.copyToken({ accountId: r.accountId, format: 'curl' }),
      );
      await vi.waitFor(() => expect(r.discoveryStarted()).toBe(true), soon);
      await r.clock.advance(LIMIT_MS);
      await vi.waitFor(() => expect(answer.at).toBeDefined(), soon);

      expect(answer.at! - started).toBe(LIMIT_MS);
      ok(answer.result!);
      expect(await r.fixture.clipboard.readText()).toBe(
        "curl -H 'Authorization: Bearer access-token-1' 'https://api.example.com/'",
      );
    } finally {
      r.restore();
    }
  });
});
