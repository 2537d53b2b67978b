/**
 * A token backend's success answers, read into Tokendesk's token set. The Google-style shape's
 * published schema makes every member optional, and its `expiresAt` has no documented unit, so
 * the reading rules are explicit here (and in the README, "Through your backend"):
 * - `expiresAt` below 10^11 is seconds since the epoch, from 10^11 on milliseconds: 10^11 seconds
 *   is the year 5138, 10^11 milliseconds is March 1973, so no time a backend sends today is
 *   ambiguous;
 * - no `expiresAt`: the token is taken to last an hour, Google's documented lifetime, so it is
 *   refreshed in time rather than handed out dead (a longer-lived one is refreshed early: harmless);
 * - no `refreshToken` on a refresh: the one held is kept (the Refresher does that);
 * - `success: false`, or no `token`: no token set at all (backend-failure.ts says why).
 */
import { z } from 'zod';
import { isVisibleAscii, UnusableTokenAnswer, type TokenSet } from '../oauth/token-set';

/** Seconds below this, milliseconds from it on. */
export const EXPIRES_AT_MS_FROM = 1e11;

/** Lifetime assumed when a Google-style answer has no `expiresAt`: Google's access tokens last an hour. */
export const ASSUMED_LIFETIME_MS = 3_600_000;

/** How far before the request a sent expiry may lie (clocks differ) before it is nonsense. */
const PAST_TOLERANCE_MS = 86_400_000;

/** `{ success, token, refreshToken, expiresAt }`, every member optional (null counts as absent). */
export const googleStyleAnswer = z.object({
  success: z.boolean().nullish(),
  token: z.string().nullish(),
  refreshToken: z.string().nullish(),
  expiresAt: z.number().nullish(),
});
export type GoogleStyleAnswer = z.infer<typeof googleStyleAnswer>;

/** `{ accessToken }`. */
export const githubStyleAnswer = z.object({ accessToken: z.string().nullish() });

/** Thrown for a 2xx answer that is not a token answer of the shape (backendUnusable). */
export class UnusableBackendAnswer extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableBackendAnswer';
  }
}

/** `expiresAt` as epoch milliseconds, by its size (see above). */
export const expiresAtMs = (expiresAt: number): number =>
  expiresAt < EXPIRES_AT_MS_FROM ? expiresAt * 1000 : expiresAt;

const accessTokenOf = (token: string | null | undefined): string => {
  if (token === undefined || token === null || token === '')
    throw new UnusableBackendAnswer('it answered without an access token');
  // As for a provider's answer (token-set.ts): pasted into terminals and headers, so only visible
  // ASCII; the message never quotes it.
  if (!isVisibleAscii(token))
    throw new UnusableTokenAnswer(
      'the backend sent an access token with characters a token cannot have (spaces or control characters).',
    );
  return token;
};

/** A Google-style answer with `success` not false, as a token set; `sentAt` when the request left. */
export const googleStyleTokens = (answer: GoogleStyleAnswer, sentAt: number): TokenSet => {
  const accessToken = accessTokenOf(answer.token);
  let expiresAt = sentAt + ASSUMED_LIFETIME_MS;
  if (answer.expiresAt !== undefined && answer.expiresAt !== null) {
    if (!Number.isFinite(answer.expiresAt) || answer.expiresAt <= 0)
      throw new UnusableBackendAnswer(`its expiresAt (${answer.expiresAt}) is not a time`);
    expiresAt = expiresAtMs(answer.expiresAt);
    if (expiresAt < sentAt - PAST_TOLERANCE_MS)
      throw new UnusableBackendAnswer(
        `its expiresAt (${answer.expiresAt}) names ${new Date(expiresAt).toISOString()}, long past`,
      );
  }
  const refreshToken = answer.refreshToken ?? undefined;
  return {
    accessToken,
    tokenType: 'Bearer',
    ...(refreshToken !== undefined && refreshToken !== '' ? { refreshToken } : {}),
    expiresAt,
    obtainedAt: sentAt,
  };
};

/** A GitHub-style answer as a token set: GitHub OAuth app tokens do not expire, and nothing refreshes them. */
export const githubStyleTokens = (
  answer: z.infer<typeof githubStyleAnswer>,
  sentAt: number,
): TokenSet => ({
  accessToken: accessTokenOf(answer.accessToken),
  tokenType: 'Bearer',
  expiresAt: null,
  obtainedAt: sentAt,
});
