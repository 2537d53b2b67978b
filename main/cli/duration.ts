/**
 * `--min-ttl`: how long the token must stay valid, as a person types it (`90`, `90s`, `5m`,
 * `1h30m`), in whole seconds for the request's `minTtlSeconds`.
 */

const UNIT_SECONDS = { h: 3600, m: 60, s: 1 } as const;

/** Hours, minutes and seconds in that order, each at most once: `1h30m`, `45s`, `2h5s`. */
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds, or undefined when the text is not a duration. */
export const parseDuration = (text: string): number | undefined => {
  const value = text.trim().toLowerCase();
  if (/^\d+$/.test(value)) return toSeconds(Number(value));
  const match = DURATION.exec(value);
  if (!match || value === '') return undefined;
  const [, hours, minutes, seconds] = match;
  return toSeconds(
    Number(hours ?? 0) * UNIT_SECONDS.h +
      Number(minutes ?? 0) * UNIT_SECONDS.m +
      Number(seconds ?? 0) * UNIT_SECONDS.s,
  );
};

// Beyond this the number no longer means anything to a provider (and JSON would lose digits).
const toSeconds = (seconds: number): number | undefined =>
  Number.isSafeInteger(seconds) ? seconds : undefined;
