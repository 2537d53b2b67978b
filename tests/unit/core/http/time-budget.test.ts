/**
 * The one time limit of a refresh (or a copy), counted on the core's clock: its signal aborts
 * when the limit is up, not before, with a time-out that says how long; a request bound to it
 * ends then whatever its own limit; a wait raced against it ends then. Driven with a fake clock:
 * nothing here depends on how fast the machine is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLimitedFetch,
  formatSeconds,
  type NetworkFailure,
  TimedOut,
} from '../../../../main/core/http/http-client';
import { TimeBudget } from '../../../../main/core/http/time-budget';
import { FakeClock, settle } from '../../helpers/fake-clock';
import { HANG, startTinyServer, type TinyServer } from '../../helpers/tiny-http-server';

const LIMIT_MS = 15_000;

let server: TinyServer;
beforeAll(async () => {
  server = await startTinyServer(() => HANG);
});
afterAll(() => server.close());

/** What a promise settled with, once it has; `undefined` while it has not. */
const outcome = <T>(promise: Promise<T>) => {
  const state: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { value, settled: true }),
    (error: unknown) => Object.assign(state, { error, settled: true }),
  );
  return state;
};

describe('TimeBudget', () => {
  it('is spent when the limit is up on the core’s clock, not a moment before', async () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, LIMIT_MS);
    const { signal } = budget;

    await clock.advance(LIMIT_MS - 1);
    expect(signal.aborted).toBe(false);
    expect(budget.remainingMs()).toBe(1);
    await clock.advance(1);

    expect(budget.spent).toBe(true);
    expect(budget.remainingMs()).toBe(0);
    expect(signal.reason).toBeInstanceOf(TimedOut);
    expect(signal.reason).toMatchObject({
      kind: 'lost',
      limitMs: LIMIT_MS,
      message: 'the provider did not answer within 15 s',
    });
  });

  it('arms no timer until used, and then only for what is left of the limit', async () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, LIMIT_MS);
    expect(clock.pending).toEqual([]);

    await clock.advance(10_000);
    void budget.signal;
    expect(clock.pending).toEqual([{ at: budget.deadline, delay: 5_000 }]);
  });

  it('used after the limit is up is spent at once', async () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, LIMIT_MS);
    await clock.advance(LIMIT_MS);
    expect(budget.spent).toBe(true);
    await expect(budget.race(new Promise(() => {}))).rejects.toBeInstanceOf(TimedOut);
  });

  it('end() stops the timer', () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, LIMIT_MS);
    void budget.signal;
    budget.end();
    expect(clock.pending).toEqual([]);
  });

  it('ends a request bound to it when the limit is up, whatever the request’s own limit', async () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, LIMIT_MS);
    // The request's own limit is a minute of real time: only the budget can end it here.
    const limited = createLimitedFetch({ timeoutMs: 60_000, maxBodyBytes: 1_000 });
    const requests = server.requests.length;
    const answer = outcome(budget.bound(limited)(`${server.url}/token`, { method: 'POST' }));
    await expect.poll(() => server.requests.length, { timeout: 5_000 }).toBe(requests + 1);

    await clock.advance(LIMIT_MS - 1);
    expect(answer.settled).toBe(false);
    await clock.advance(1);
    await expect.poll(() => answer.settled, { timeout: 5_000 }).toBe(true);

    expect(answer.error).toBeInstanceOf(TimedOut);
    expect((answer.error as NetworkFailure).kind).toBe('lost');
  });

  it('keeps the caller’s own abort signal working alongside it', async () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, LIMIT_MS);
    const limited = createLimitedFetch({ timeoutMs: 60_000, maxBodyBytes: 1_000 });
    const controller = new AbortController();
    const reason = new Error('the user cancelled');
    const answer = outcome(
      budget.bound(limited)(`${server.url}/token`, { method: 'POST', signal: controller.signal }),
    );
    controller.abort(reason);
    await expect.poll(() => answer.settled, { timeout: 5_000 }).toBe(true);
    expect(answer.error).not.toBeInstanceOf(TimedOut);
    expect((answer.error as NetworkFailure).cause).toBe(reason);
  });

  it('race: the work’s answer when it comes first, the time-out when the limit comes first', async () => {
    const clock = new FakeClock();
    const budget = new TimeBudget(clock, LIMIT_MS);
    await expect(budget.race(Promise.resolve('runtime'))).resolves.toBe('runtime');

    let fail!: (error: Error) => void;
    const late = outcome(budget.race(new Promise((_, reject) => (fail = reject))));
    await clock.advance(LIMIT_MS);
    expect(late.error).toBeInstanceOf(TimedOut);
    // The work failing afterwards changes nothing and surfaces nowhere.
    fail(new Error('discovery failed later'));
    await settle();
    expect(late.error).toBeInstanceOf(TimedOut);
  });
});

describe('formatSeconds', () => {
  it.each([
    [15_000, '15 s'],
    [800, '0.8 s'],
    [50, '0.05 s'],
    [1_500, '1.5 s'],
    [125_000, '125 s'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatSeconds(ms)).toBe(text);
  });
});
