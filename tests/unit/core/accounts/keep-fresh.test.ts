/**
 * The background refresher: one timer for the whole app, set to the earliest account due; none
 * when nothing is due; backoff with jitter on failure; accounts that need reconnecting drop out;
 * a success clears the backoff. Driven with a fake clock and a scripted refresh.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KeepFresh } from '../../../../main/core/accounts/keep-fresh';
import { refreshLead } from '../../../../main/core/accounts/timing';
import { CoreFailure } from '../../../../main/core/core-failure';
import type { StoredAccount } from '../../../../main/core/storage/store-schema';
import type { ErrorName } from '../../../../shared/errors';
import { createCapturingLogger } from '../../helpers/capturing-logger';
import { FakeClock } from '../../helpers/fake-clock';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

type RefreshScript = (account: StoredAccount) => 'ok' | ErrorName | Error;

interface Harness {
  readonly clock: FakeClock;
  readonly keepFresh: KeepFresh;
  readonly accounts: Map<string, StoredAccount>;
  readonly calls: string[];
  script: RefreshScript;
  randomValue: number;
  /** Lifetime of the tokens a successful refresh hands out. */
  lifetime: number;
}

let harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses) h.keepFresh.stop();
  harnesses = [];
});

const account = (
  id: string,
  now: number,
  overrides: Partial<StoredAccount> = {},
): StoredAccount => ({
  id,
  providerId: 'google',
  presetId: 'google',
  subject: `sub-${id}`,
  displayName: `${id}@example.test`,
  scopes: ['openid'],
  tokenType: 'Bearer',
  obtainedAt: now,
  expiresAt: now + HOUR,
  hasRefreshToken: true,
  status: 'ok',
  createdAt: now,
  updatedAt: now,
  ...overrides,
});

const harness = (initial: (now: number) => StoredAccount[] = () => []): Harness => {
  const clock = new FakeClock();
  const accounts = new Map(initial(clock.now()).map((a) => [a.id, a]));
  const calls: string[] = [];
  const state: Pick<Harness, 'script' | 'randomValue' | 'lifetime'> = {
    script: () => 'ok',
    randomValue: 0.5,
    lifetime: HOUR,
  };
  const keepFresh = new KeepFresh({
    accounts: () => [...accounts.values()],
    refresh: (id) => {
      calls.push(id);
      const current = accounts.get(id);
      if (!current) return Promise.reject(new CoreFailure('accountNotFound'));
      const outcome = state.script(current);
      if (outcome === 'ok') {
        const now = clock.now();
        const updated = {
          ...current,
          obtainedAt: now,
          expiresAt: now + state.lifetime,
          status: 'ok' as const,
          updatedAt: now,
        };
        accounts.set(id, updated);
        return Promise.resolve(updated);
      }
      return Promise.reject(outcome instanceof Error ? outcome : new CoreFailure(outcome));
    },
    clock,
    random: () => state.randomValue,
    logger: createCapturingLogger(),
  });
  // One object, so a test's `h.script = …` is what the refresh above reads.
  const h: Harness = Object.assign(state, { clock, accounts, calls, keepFresh });
  harnesses.push(h);
  return h;
};

/** What the real Refresher does to an account whose refresh token was refused. */
const markReconnectNeeded = (h: Harness, id: string): void => {
  const current = h.accounts.get(id);
  if (current) h.accounts.set(id, { ...current, status: 'reconnect-needed' });
};

describe('KeepFresh: one timer', () => {
  it('arms a single timer for many accounts, at the earliest one due', () => {
    const h = harness((now) => [
      account('late', now, { expiresAt: now + 2 * HOUR }),
      account('soon', now, { expiresAt: now + 10 * MINUTE }),
      account('middle', now, { expiresAt: now + HOUR }),
    ]);
    h.keepFresh.reschedule();
    const soon = h.accounts.get('soon');
    if (!soon) throw new Error('missing account');
    const due = (soon.expiresAt ?? 0) - refreshLead(soon);
    expect(h.clock.pending).toEqual([{ at: due, delay: due - h.clock.now() }]);
    expect(h.keepFresh.nextRunAt).toBe(due);
  });

  it('refreshes only the account that is due when the timer fires, then re-arms for the next', async () => {
    const h = harness((now) => [
      account('a', now, { expiresAt: now + 10 * MINUTE }),
      account('b', now, { expiresAt: now + 2 * HOUR }),
    ]);
    h.keepFresh.reschedule();
    await h.clock.advance(
      10 * MINUTE - refreshLead(account('x', 0, { obtainedAt: 0, expiresAt: 10 * MINUTE })),
    );
    expect(h.calls).toEqual(['a']);
    expect(h.clock.pending).toHaveLength(1);
    expect(h.keepFresh.nextRunAt).toBeGreaterThan(h.clock.now());
  });

  it('keeps a steady rhythm: one refresh per token lifetime, not more', async () => {
    const h = harness((now) => [account('a', now)]);
    h.keepFresh.reschedule();
    await h.clock.advance(5 * HOUR);
    // Refreshed 5 minutes before each expiry: at 55 min, 1 h 50, 2 h 45, 3 h 40, 4 h 35.
    expect(h.calls).toEqual(['a', 'a', 'a', 'a', 'a']);
    expect(h.clock.pending).toHaveLength(1);
  });

  it('moves the timer earlier when an account due sooner appears', () => {
    const h = harness((now) => [account('a', now, { expiresAt: now + 2 * HOUR })]);
    h.keepFresh.reschedule();
    const first = h.keepFresh.nextRunAt ?? 0;
    h.accounts.set('b', account('b', h.clock.now(), { expiresAt: h.clock.now() + 20 * MINUTE }));
    h.keepFresh.reschedule();
    expect(h.keepFresh.nextRunAt).toBeLessThan(first);
    expect(h.clock.pending).toHaveLength(1);
  });

  it('re-arms a timer beyond setTimeout’s 24.8-day ceiling on the way, without refreshing early', async () => {
    const h = harness((now) => [account('a', now, { expiresAt: now + 60 * 24 * HOUR })]);
    h.keepFresh.reschedule();
    expect(h.clock.pending[0]?.delay).toBe(2 ** 31 - 1);
    await h.clock.advance(2 ** 31 - 1);
    expect(h.calls).toEqual([]);
    expect(h.clock.pending).toHaveLength(1);
  });

  it('arms nothing after stop()', () => {
    const h = harness((now) => [account('a', now)]);
    h.keepFresh.stop();
    h.keepFresh.reschedule();
    expect(h.clock.pending).toEqual([]);
  });
});

describe('KeepFresh: after sleep', () => {
  it('refreshes on wake what fell due while the machine slept, not a timer’s delay later', async () => {
    const h = harness((now) => [account('a', now)]);
    h.keepFresh.reschedule();
    await h.clock.advance(10 * MINUTE);
    // The lid closes for the night; the armed timer does not count it.
    h.clock.sleep(10 * HOUR);
    await h.clock.advance(0);
    expect(h.calls).toEqual([]);

    h.keepFresh.wake();
    await h.clock.advance(0);

    expect(h.calls).toEqual(['a']);
    const refreshed = h.accounts.get('a');
    if (!refreshed) throw new Error('missing');
    expect(h.keepFresh.nextRunAt).toBe((refreshed.expiresAt ?? 0) - refreshLead(refreshed));
  });

  it('changes nothing on wake when nothing fell due', () => {
    const h = harness((now) => [account('a', now)]);
    h.keepFresh.reschedule();
    const due = h.keepFresh.nextRunAt;
    h.keepFresh.wake();
    expect(h.keepFresh.nextRunAt).toBe(due);
    expect(h.clock.pending).toHaveLength(1);
  });
});

describe('KeepFresh: no timer when nothing is due', () => {
  it.each<[string, (now: number) => StoredAccount[]]>([
    ['there are no accounts', () => []],
    [
      'every account needs reconnecting',
      (now) => [
        account('a', now, { status: 'reconnect-needed' }),
        account('b', now, { status: 'reconnect-needed' }),
      ],
    ],
    [
      'no token expires',
      (now) => [account('a', now, { expiresAt: null }), account('b', now, { expiresAt: null })],
    ],
    ['no account has a refresh token', (now) => [account('a', now, { hasRefreshToken: false })]],
  ])('arms no timer when %s', (_case, accounts) => {
    const h = harness(accounts);
    h.keepFresh.reschedule();
    expect(h.clock.pending).toEqual([]);
    expect(h.keepFresh.nextRunAt).toBeUndefined();
  });

  it('clears the timer when the last due account goes away', () => {
    const h = harness((now) => [account('a', now)]);
    h.keepFresh.reschedule();
    expect(h.clock.pending).toHaveLength(1);
    h.accounts.delete('a');
    h.keepFresh.reschedule();
    expect(h.clock.pending).toEqual([]);
  });
});

describe('KeepFresh: failures', () => {
  const dueNow = (now: number) => [
    account('a', now, { obtainedAt: now - HOUR, expiresAt: now + MINUTE }),
  ];

  it('backs off with jitter after a failure: 50–100 % of 5 s, then of 10 s, 20 s …', async () => {
    const h = harness(dueNow);
    h.script = () => 'refreshFailed';
    h.randomValue = 0;
    h.keepFresh.reschedule();
    await h.clock.advance(0);
    expect(h.calls).toHaveLength(1);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const next = h.keepFresh.nextRunAt;
      if (next === undefined) throw new Error('no retry armed');
      waits.push(next - h.clock.now());
      await h.clock.advance(next - h.clock.now());
    }
    expect(waits).toEqual([2_500, 5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(h.calls).toHaveLength(7);
  });

  it('keeps each retry within 50–100 % of 5 s·2^(n-1), growing, capped at ten minutes', async () => {
    const h = harness(dueNow);
    h.script = () => new Error('socket hang up');
    h.keepFresh.reschedule();
    await h.clock.advance(0);
    let previous = 0;
    for (let attempt = 1; attempt <= 12; attempt++) {
      h.randomValue = (attempt * 0.37) % 1;
      const next = h.keepFresh.nextRunAt;
      if (next === undefined) throw new Error('no retry armed');
      const wait = next - h.clock.now();
      const ceiling = Math.min(10 * MINUTE, 5 * SECOND * 2 ** (attempt - 1));
      expect(wait, `attempt ${attempt}`).toBeGreaterThanOrEqual(ceiling / 2);
      expect(wait, `attempt ${attempt}`).toBeLessThanOrEqual(ceiling);
      if (ceiling < 10 * MINUTE) expect(wait).toBeGreaterThan(previous / 2);
      previous = wait;
      await h.clock.advance(wait);
    }
  });

  it('drops an account whose refresh token was refused from scheduling', async () => {
    const h = harness(dueNow);
    h.script = (a) => {
      markReconnectNeeded(h, a.id);
      return 'reconnectNeeded';
    };
    h.keepFresh.reschedule();
    await h.clock.advance(HOUR);
    expect(h.calls).toEqual(['a']);
    expect(h.clock.pending).toEqual([]);
  });

  it('drops an account whose refresh token was refused even when its status could not be saved', async () => {
    // The Refresher records "reconnect needed" with a store write; when the disk refuses that
    // write the account still says "ok". Retrying a refused refresh token must not follow.
    const h = harness(dueNow);
    h.script = () => 'reconnectNeeded';
    h.keepFresh.reschedule();
    const loop = await h.clock.advance(HOUR, 50).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(h.calls.length, 'refreshes tried with the refused token').toBe(1);
    expect(loop).toBeUndefined();
  });

  it('drops an account whose tokens this session cannot decrypt (another keyring)', async () => {
    const h = harness(dueNow);
    h.script = () => 'secretUnreadable';
    h.keepFresh.reschedule();
    const loop = await h.clock.advance(HOUR, 50).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(h.calls, 'refreshes tried with tokens that cannot be read').toEqual(['a']);
    expect(loop).toBeUndefined();
    expect(h.clock.pending).toEqual([]);
  });

  it('drops an account with no refresh token left after a failed refresh', async () => {
    const h = harness(dueNow);
    h.script = (a) => {
      markReconnectNeeded(h, a.id);
      return 'noRefreshToken';
    };
    h.keepFresh.reschedule();
    await h.clock.advance(HOUR);
    expect(h.calls).toEqual(['a']);
    expect(h.clock.pending).toEqual([]);
  });

  it('keeps scheduling the other accounts when one needs reconnecting', async () => {
    const h = harness((now) => [
      ...dueNow(now),
      account('b', now, { expiresAt: now + 30 * MINUTE }),
    ]);
    h.script = (a) => {
      if (a.id !== 'a') return 'ok';
      markReconnectNeeded(h, a.id);
      return 'reconnectNeeded';
    };
    h.keepFresh.reschedule();
    await h.clock.advance(30 * MINUTE);
    expect(h.calls).toEqual(['a', 'b']);
    expect(h.clock.pending).toHaveLength(1);
  });

  it('clears the backoff after a success: the next failure starts again at 5 s', async () => {
    const h = harness(dueNow);
    h.randomValue = 0;
    h.script = () => 'refreshFailed';
    h.keepFresh.reschedule();
    await h.clock.advance(0); // attempt 1 fails → 2.5 s
    await h.clock.advance(2_500); // attempt 2 fails → 5 s
    await h.clock.advance(5_000); // attempt 3 fails → 10 s
    expect(h.calls).toHaveLength(3);
    h.script = () => 'ok';
    await h.clock.advance(10_000); // succeeds: back on the token's own rhythm
    expect(h.calls).toHaveLength(4);
    const refreshed = h.accounts.get('a');
    if (!refreshed) throw new Error('missing');
    expect(h.keepFresh.nextRunAt).toBe((refreshed.expiresAt ?? 0) - refreshLead(refreshed));

    h.script = () => 'refreshFailed';
    await h.clock.advance((h.keepFresh.nextRunAt ?? 0) - h.clock.now());
    expect(h.calls).toHaveLength(5);
    expect((h.keepFresh.nextRunAt ?? 0) - h.clock.now()).toBe(2_500);
  });

  it('ends the backoff when new tokens come from elsewhere (Refresh, a copy, a reconnect)', async () => {
    const h = harness(dueNow);
    h.randomValue = 1;
    h.lifetime = 5 * MINUTE;
    h.script = () => 'refreshFailed';
    h.keepFresh.reschedule();
    await h.clock.advance(0);
    for (let i = 0; i < 7; i++) await h.clock.advance((h.keepFresh.nextRunAt ?? 0) - h.clock.now());
    expect(h.calls).toHaveLength(8);
    // The eighth failure backs off for ten minutes: longer than a five-minute token lives.
    expect((h.keepFresh.nextRunAt ?? 0) - h.clock.now()).toBe(10 * MINUTE);

    // The user presses Refresh and it works: a new five-minute token.
    const now = h.clock.now();
    const current = h.accounts.get('a');
    if (!current) throw new Error('missing');
    const renewed = { ...current, obtainedAt: now, expiresAt: now + 5 * MINUTE };
    h.accounts.set('a', renewed);
    h.script = () => 'ok';
    h.keepFresh.reschedule();

    // Refreshed before it expires, not after the old backoff.
    expect(h.keepFresh.nextRunAt).toBe(renewed.expiresAt - refreshLead(renewed));
    await h.clock.advance(5 * MINUTE);
    expect(h.calls).toHaveLength(9);
  });

  it('logs a failed background refresh as a warning, with the attempt number', async () => {
    const clock = new FakeClock();
    const logger = createCapturingLogger();
    const keepFresh = new KeepFresh({
      accounts: () => dueNow(clock.now()),
      refresh: () => Promise.reject(new CoreFailure('refreshFailed')),
      clock,
      random: () => 0.5,
      logger,
    });
    keepFresh.reschedule();
    await clock.advance(0);
    keepFresh.stop();
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ accountId: 'a', attempts: 1 }) as unknown,
      }),
    ]);
  });
});

describe('KeepFresh: short-lived tokens', () => {
  it('schedules no background refresh for tokens issued already expired (expires_in 0)', async () => {
    const h = harness((now) => [account('a', now, { obtainedAt: now, expiresAt: now })]);
    h.lifetime = 0;
    h.keepFresh.reschedule();
    await h.clock.advance(HOUR, 50);
    expect(h.calls).toEqual([]);
    expect(h.clock.pending).toEqual([]);
  });

  it('does not refresh a freshly refreshed 2-second token again at once', async () => {
    const h = harness((now) => [
      account('a', now, { obtainedAt: now, expiresAt: now + 2 * SECOND }),
    ]);
    h.lifetime = 2 * SECOND;
    h.keepFresh.reschedule();
    // Within one second, a 2-second token needs at most one refresh.
    const loop = await h.clock.advance(SECOND, 50).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(h.calls.length, 'refreshes within one second').toBeLessThanOrEqual(1);
    expect(loop).toBeUndefined();
  });
});
