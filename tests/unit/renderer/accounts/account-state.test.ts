import { describe, expect, it } from 'vitest';
import {
  accountState,
  needsReconnect,
  STATE_LABELS,
  type AccountTiming,
} from '../../../../renderer/src/accounts/account-state';

const NOW = 1_800_000_000_000;
const account = (overrides: Partial<AccountTiming> = {}): AccountTiming => ({
  expiresAt: NOW + 3_600_000,
  obtainedAt: NOW,
  status: 'ok',
  refreshing: false,
  ...overrides,
});
const label = (a: AccountTiming, now = NOW, pending = false) =>
  STATE_LABELS[accountState(a, now, pending)];

describe('account state', () => {
  it('is Valid with five minutes or more left, Expiring soon below', () => {
    expect(label(account({ expiresAt: NOW + 300_000 }))).toBe('Valid');
    // The badge flips with the countdown's own digits: "5:00" is still Valid, "4:59" is not.
    expect(label(account({ expiresAt: NOW + 299_001 }))).toBe('Valid');
    expect(label(account({ expiresAt: NOW + 299_000 }))).toBe('Expiring soon');
    expect(label(account({ expiresAt: NOW + 1 }))).toBe('Expiring soon');
  });

  it('is Expired at the expiry even while main still says ok (a refresh will follow)', () => {
    expect(label(account({ expiresAt: NOW }))).toBe('Expired');
    expect(label(account({ expiresAt: NOW - 190_000 }))).toBe('Expired');
  });

  it('is Valid for a token that does not expire', () => {
    expect(label(account({ expiresAt: null }))).toBe('Valid');
  });

  it('says Refreshing… while main refreshes or while our own refresh is pending', () => {
    expect(label(account({ refreshing: true, expiresAt: NOW - 1000 }))).toBe('Refreshing…');
    expect(label(account(), NOW, true)).toBe('Refreshing…');
  });

  it('reports reconnect-needed and error over the clock', () => {
    expect(label(account({ status: 'reconnect-needed' }))).toBe('Reconnect needed');
    expect(label(account({ status: 'error', expiresAt: NOW - 1 }))).toBe('Error');
  });

  it('offers Reconnect when main asks for it, or when a dead token cannot be refreshed', () => {
    const base = { canRefresh: true, obtainedAt: NOW };
    expect(needsReconnect({ ...base, status: 'reconnect-needed', expiresAt: NOW + 1e6 }, NOW)).toBe(
      true,
    );
    expect(needsReconnect({ ...base, status: 'ok', expiresAt: NOW - 1 }, NOW)).toBe(false);
    expect(
      needsReconnect({ ...base, canRefresh: false, status: 'ok', expiresAt: NOW - 1 }, NOW),
    ).toBe(true);
    expect(
      needsReconnect({ ...base, canRefresh: false, status: 'ok', expiresAt: NOW + 1000 }, NOW),
    ).toBe(false);
  });
});
