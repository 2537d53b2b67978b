/** `--min-ttl` as people type it, in seconds; anything else is refused, not guessed. */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../main/cli/duration';

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    ['0', 0],
    ['90s', 90],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2h5s', 7205],
    ['1h1m1s', 3661],
    ['5M', 300],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'h', '5x', '-5', '1.5h', '30m1h', '5 m', '1d', '99999999999999999999'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});
