/**
 * Countdown text for a token's expiry. Whole seconds only: the list ticks once a second, and a
 * token is never "valid for 0:00" — the second it reaches zero it reads "expired 0:00 ago".
 */

const pad = (value: number): string => String(value).padStart(2, '0');

/** "0:03", "42:13", "1:02:03", "3d 4:05:06". Negative input reads as zero. */
export const formatDuration = (totalSeconds: number): string => {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days}d ${hours}:${pad(minutes)}:${pad(seconds)}`;
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`;
  return `${minutes}:${pad(seconds)}`;
};

/** Where a token stands against the clock, in whole seconds. */
export type TimeLeft =
  | { readonly kind: 'never' }
  | { readonly kind: 'left'; readonly seconds: number }
  | { readonly kind: 'expired'; readonly secondsAgo: number };

/**
 * `expiresAt` and `obtainedAt` come from the main process's clock, the same machine's. If the
 * clock was set back after the token was obtained (obtainedAt lies in the future), the token
 * cannot live longer than its lifetime: the countdown is capped at it rather than inflated.
 */
export const timeLeft = (
  token: { readonly expiresAt: number | null; readonly obtainedAt: number },
  now: number,
): TimeLeft => {
  if (token.expiresAt === null) return { kind: 'never' };
  let ms = token.expiresAt - now;
  const lifetime = token.expiresAt - token.obtainedAt;
  if (token.obtainedAt > now && lifetime >= 0) ms = Math.min(ms, lifetime);
  // Up: a token with 0.4 s left still has a second to show; down: 0.4 s past is "0:00 ago".
  if (ms > 0) return { kind: 'left', seconds: Math.ceil(ms / 1000) };
  return { kind: 'expired', secondsAgo: Math.floor(-ms / 1000) };
};

export const countdownText = (left: TimeLeft): string => {
  switch (left.kind) {
    case 'never':
      return 'does not expire';
    case 'left':
      return `expires in ${formatDuration(left.seconds)}`;
    case 'expired':
      return `expired ${formatDuration(left.secondsAgo)} ago`;
  }
};
