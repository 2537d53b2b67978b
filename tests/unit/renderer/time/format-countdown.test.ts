import { describe, expect, it } from 'vitest';
import {
  countdownText,
  formatDuration,
  timeLeft,
} from '../../../../renderer/src/time/format-countdown';

const NOW = 1_800_000_000_000;
const at = (expiresInMs: number | null, obtainedAgoMs = 0) => ({
  expiresAt: expiresInMs === null ? null : NOW + expiresInMs,
  obtainedAt: NOW - obtainedAgoMs,
});
const text = (expiresInMs: number | null, obtainedAgoMs = 0) =>
  countdownText(timeLeft(at(expiresInMs, obtainedAgoMs), NOW));

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [3, '0:03'],
    [59, '0:59'],
    [60, '1:00'],
    [42 * 60 + 13, '42:13'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3723, '1:02:03'],
    [86_399, '23:59:59'],
    [86_400 + 4 * 3600 + 5 * 60 + 6, '1d 4:05:06'],
    [-5, '0:00'],
    [2.9, '0:02'],
  ])('%s s reads "%s"', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('countdown text', () => {
  it('counts down in minutes under an hour and in hours above', () => {
    expect(text((42 * 60 + 13) * 1000)).toBe('expires in 42:13');
    expect(text(3_723_000)).toBe('expires in 1:02:03');
  });

  it('shows a second still running as a whole second, never "expires in 0:00"', () => {
    expect(text(400)).toBe('expires in 0:01');
    expect(text(1)).toBe('expires in 0:01');
  });

  it('turns to "expired … ago" the moment the expiry is reached', () => {
    expect(text(0)).toBe('expired 0:00 ago');
    expect(text(-400)).toBe('expired 0:00 ago');
    expect(text(-190_000)).toBe('expired 3:10 ago');
  });

  it('says a token without expiry does not expire', () => {
    expect(text(null)).toBe('does not expire');
  });

  it('caps the countdown at the lifetime when the token was obtained "in the future"', () => {
    // The clock went back a minute after a one-hour token was obtained: it cannot have 1:01:00 left.
    expect(text(3_660_000, -60_000)).toBe('expires in 1:00:00');
    expect(timeLeft(at(3_660_000, -60_000), NOW)).toEqual({ kind: 'left', seconds: 3600 });
  });

  it('never counts negative with obtainedAt in the future and an expiry behind', () => {
    const left = timeLeft({ expiresAt: NOW - 5_000, obtainedAt: NOW + 10_000 }, NOW);
    expect(left).toEqual({ kind: 'expired', secondsAgo: 5 });
    expect(countdownText(left)).toBe('expired 0:05 ago');
  });

  it('ignores a nonsensical lifetime (expiry before it was obtained) rather than inventing one', () => {
    expect(text(60_000, -120_000)).toBe('expires in 1:00');
  });
});
