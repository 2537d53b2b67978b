/**
 * What the user is told about an account at a given moment: one of six states, derived from the
 * account's status as main reports it and from the clock. Main's status says whether the account
 * can be used; only the clock says whether its current access token has run out.
 */
import type { AccountView } from '../../../shared/model';
import { timeLeft } from '../time/format-countdown';

export type AccountStateKind =
  'valid' | 'expiring' | 'expired' | 'refreshing' | 'reconnect' | 'error';

/** Below this many seconds left a token is "expiring soon". */
export const EXPIRING_SOON_SECONDS = 5 * 60;

export const STATE_LABELS: Readonly<Record<AccountStateKind, string>> = {
  valid: 'Valid',
  expiring: 'Expiring soon',
  expired: 'Expired',
  refreshing: 'Refreshing…',
  reconnect: 'Reconnect needed',
  error: 'Error',
};

export type AccountTiming = Pick<
  AccountView,
  'expiresAt' | 'obtainedAt' | 'status' | 'refreshing'
> &
  // Optional: absent is "has one" (AccountView.hasToken).
  Partial<Pick<AccountView, 'hasToken'>>;

/**
 * `refreshPending` is the renderer's own knowledge that it asked for a refresh that has not
 * answered yet (main reports `refreshing` only in the lists it pushes).
 */
export const accountState = (
  account: AccountTiming,
  now: number,
  refreshPending = false,
): AccountStateKind => {
  if (account.refreshing || refreshPending) return 'refreshing';
  // No token in this session: whatever its expiry says, there is nothing to use until reconnected.
  if (account.status === 'reconnect-needed' || account.hasToken === false) return 'reconnect';
  if (account.status === 'error') return 'error';
  // Status 'ok' with an expiry behind us: main will refresh, but until then the token is dead.
  const left = timeLeft(account, now);
  if (left.kind === 'never') return 'valid';
  if (left.kind === 'expired') return 'expired';
  return left.seconds < EXPIRING_SOON_SECONDS ? 'expiring' : 'valid';
};

/**
 * Whether the row should offer Reconnect: main says so, this session holds no token, or the token
 * is dead with no way back.
 */
export const needsReconnect = (
  account: Pick<AccountView, 'status' | 'canRefresh' | 'expiresAt' | 'obtainedAt'> &
    Partial<Pick<AccountView, 'hasToken'>>,
  now: number,
): boolean =>
  account.status === 'reconnect-needed' ||
  account.hasToken === false ||
  (!account.canRefresh && timeLeft(account, now).kind === 'expired');
