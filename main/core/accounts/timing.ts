/**
 * When a token counts as due. Both margins scale with the token's lifetime, so a one-hour
 * Google token and a ten-second test token are each refreshed in good time.
 */
import type { StoredAccount } from '../storage/store-schema';

const lifetime = (account: Pick<StoredAccount, 'expiresAt' | 'obtainedAt'>): number =>
  account.expiresAt === null ? Infinity : Math.max(0, account.expiresAt - account.obtainedAt);

/**
 * A token this close to expiry is refreshed before it is handed out (copy). The floor keeps
 * clock skew covered; the last cap (a quarter of the lifetime) keeps a just-obtained short token
 * from counting as due at once, which would refresh it in a loop.
 */
export const freshnessMargin = (
  account: Pick<StoredAccount, 'expiresAt' | 'obtainedAt'>,
): number => {
  const life = lifetime(account);
  return Math.min(60_000, Math.max(1_000, life * 0.1), life * 0.25);
};

/** The background refresh runs this long before expiry: earlier than the copy margin. */
export const refreshLead = (account: Pick<StoredAccount, 'expiresAt' | 'obtainedAt'>): number => {
  const life = lifetime(account);
  return Math.min(5 * 60_000, Math.max(2_000, life * 0.2), life * 0.5);
};

export const needsRefresh = (
  account: Pick<StoredAccount, 'expiresAt' | 'obtainedAt'>,
  now: number,
): boolean => account.expiresAt !== null && account.expiresAt - now <= freshnessMargin(account);

/** Exponential backoff with jitter: 50–100 % of 5 s·2ⁿ, at most 10 minutes. */
export const backoffDelay = (attempt: number, random: () => number): number => {
  const ceiling = Math.min(10 * 60_000, 5_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
};
