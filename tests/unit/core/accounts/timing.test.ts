/**
 * When a token counts as due, and how long a failed refresh waits: margins that scale with the
 * token's lifetime, and exponential backoff with jitter capped at ten minutes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  freshnessMargin,
  needsRefresh,
  refreshLead,
} from '../../../../main/core/accounts/timing';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const CAP = 10 * MINUTE;

const token = (lifetimeMs: number, obtainedAt = 1_700_000_000_000) => ({
  obtainedAt,
  expiresAt: obtainedAt + lifetimeMs,
});

describe('backoffDelay', () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [4, 40_000],
    [7, 320_000],
    [8, CAP],
    [30, CAP],
  ])('attempt %i waits between half and all of %i ms', (attempt, ceiling) => {
    expect(backoffDelay(attempt, () => 0)).toBe(ceiling / 2);
    expect(backoffDelay(attempt, () => 0.999_999)).toBeLessThanOrEqual(ceiling);
    expect(backoffDelay(attempt, () => 0.999_999)).toBeGreaterThan(ceiling * 0.99);
  });

  it('stays within 50–100 % of 5 s·2^(n-1), never above ten minutes, for any attempt and jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const ceiling = Math.min(CAP, 5_000 * 2 ** (attempt - 1));
          const delay = backoffDelay(attempt, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.5));
          expect(delay).toBeLessThanOrEqual(ceiling);
          expect(Number.isFinite(delay)).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('grows with every attempt until the cap, whatever the jitter', () => {
    // Before the cap, the smallest possible next delay is never below the largest possible previous one.
    for (let attempt = 1; attempt < 7; attempt++) {
      expect(backoffDelay(attempt + 1, () => 0)).toBeGreaterThanOrEqual(
        backoffDelay(attempt, () => 0.999_999),
      );
    }
  });

  it('grows strictly with every attempt for the same jitter, then stays at the cap', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r) => {
        const delays = Array.from({ length: 12 }, (_, i) => backoffDelay(i + 1, () => r));
        for (let i = 1; i < delays.length; i++) {
          const previous = delays[i - 1] ?? 0;
          const current = delays[i] ?? 0;
          if (previous < CAP / 2) expect(current).toBeGreaterThan(previous);
          else expect(current).toBeGreaterThanOrEqual(previous);
        }
        expect(delays.at(-1)).toBeLessThanOrEqual(CAP);
      }),
      { numRuns: 300 },
    );
  });

  it('spreads clients apart: different jitter gives different delays', () => {
    const delays = new Set([0, 0.25, 0.5, 0.75].map((r) => backoffDelay(3, () => r)));
    expect(delays.size).toBe(4);
  });
});

describe('freshnessMargin and refreshLead', () => {
  it('gives a one-hour token a one-minute copy margin and a five-minute background lead', () => {
    expect(freshnessMargin(token(HOUR))).toBe(MINUTE);
    expect(refreshLead(token(HOUR))).toBe(5 * MINUTE);
  });

  it('scales down for short-lived tokens', () => {
    expect(freshnessMargin(token(30 * SECOND))).toBe(3 * SECOND);
    expect(refreshLead(token(30 * SECOND))).toBe(6 * SECOND);
  });

  // Any real token lives a little (a zero lifetime is an expired token, not a schedule).
  it('refreshes in the background before a copy would have to wait for a refresh', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 * 24 * HOUR }), (lifetime) => {
        expect(refreshLead(token(lifetime))).toBeGreaterThan(freshnessMargin(token(lifetime)));
      }),
      { numRuns: 500 },
    );
  });

  it('does not count a token as due the moment it was obtained (any lifetime of 1 s or more)', () => {
    // Otherwise a provider with short-lived tokens is refreshed back-to-back, forever.
    fc.assert(
      fc.property(fc.integer({ min: SECOND, max: 24 * HOUR }), (lifetime) => {
        const fresh = token(lifetime);
        expect(fresh.expiresAt - refreshLead(fresh)).toBeGreaterThan(fresh.obtainedAt);
      }),
      { numRuns: 500 },
    );
  });
});

describe('needsRefresh', () => {
  it('is false for a token that does not expire', () => {
    expect(needsRefresh({ obtainedAt: 0, expiresAt: null }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('turns true exactly at the freshness margin', () => {
    const t = token(HOUR);
    expect(needsRefresh(t, t.expiresAt - MINUTE - 1)).toBe(false);
    expect(needsRefresh(t, t.expiresAt - MINUTE)).toBe(true);
  });

  it('is true for an expired token', () => {
    const t = token(HOUR);
    expect(needsRefresh(t, t.expiresAt + HOUR)).toBe(true);
  });
});
