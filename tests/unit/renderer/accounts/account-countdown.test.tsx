// @vitest-environment happy-dom
/**
 * The accounts list against the clock: what a user watching the window sees as time passes, with
 * Vitest's fake clock standing in for the seconds.
 */
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountView } from '../../../../shared/model';
import { App } from '../../../../renderer/src/app';
import { fakeBridge, makeAccount, makeProvider, NOW } from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const seconds = (count: number) => act(() => vi.advanceTimersByTimeAsync(count * 1000));

const showAccounts = async (...accounts: AccountView[]) => {
  const bridge = fakeBridge({ providers: [makeProvider()], accounts });
  await renderApp(bridge);
  return bridge;
};

const row = (name: string) => screen.getByRole('listitem', { name: new RegExp(name) });
const countdownOf = (name: string) => within(row(name)).getByTestId('countdown');
const statusOf = (name: string) => within(row(name)).getByTestId('status');

describe('an account on screen as its token runs out', () => {
  it('counts down every second and flips Valid → Expiring soon → Expired', async () => {
    await showAccounts(makeAccount({ expiresAt: NOW + 302_000 }));
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 5:02');
    expect(statusOf('ana')).toHaveProperty('textContent', 'Valid');

    await seconds(1);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 5:01');
    await seconds(1);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 5:00');
    expect(statusOf('ana')).toHaveProperty('textContent', 'Valid');
    await seconds(1);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 4:59');
    expect(statusOf('ana')).toHaveProperty('textContent', 'Expiring soon');

    await seconds(298);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 0:01');
    await seconds(1);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expired 0:00 ago');
    expect(statusOf('ana')).toHaveProperty('textContent', 'Expired');
    await seconds(3);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expired 0:03 ago');
  });

  it('shows hours over an hour', async () => {
    await showAccounts(makeAccount({ expiresAt: NOW + 3_723_000 }));
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 1:02:03');
  });

  it('says a token without expiry does not expire, and stays Valid', async () => {
    await showAccounts(makeAccount({ expiresAt: null }));
    await seconds(10);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'does not expire');
    expect(statusOf('ana')).toHaveProperty('textContent', 'Valid');
  });

  it('shows an expiry in the past as Expired even while main still says ok', async () => {
    await showAccounts(makeAccount({ expiresAt: NOW - 190_000, obtainedAt: NOW - 3_790_000 }));
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expired 3:10 ago');
    expect(statusOf('ana')).toHaveProperty('textContent', 'Expired');
  });

  it('never counts more than the lifetime, nor negative, when obtainedAt lies in the future', async () => {
    // The clock went back a minute after a one-hour token was obtained.
    await showAccounts(makeAccount({ obtainedAt: NOW + 60_000, expiresAt: NOW + 3_660_000 }));
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 1:00:00');
    expect(statusOf('ana')).toHaveProperty('textContent', 'Valid');
    // It holds at the lifetime until the clock has caught up, then counts down as usual.
    await seconds(60);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 1:00:00');
    await seconds(1);
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 59:59');
  });

  it('shows Refreshing… while main refreshes, then the new countdown', async () => {
    const bridge = await showAccounts(makeAccount({ expiresAt: NOW + 10_000, refreshing: true }));
    expect(statusOf('ana')).toHaveProperty('textContent', 'Refreshing…');
    await bridge.emit('accountsChanged', [makeAccount({ expiresAt: NOW + 3_600_000 })]);
    expect(statusOf('ana')).toHaveProperty('textContent', 'Valid');
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 1:00:00');
  });

  it('says Reconnect needed with the reason, and Reconnect signs in again with its provider', async () => {
    const bridge = await showAccounts(
      makeAccount({
        status: 'reconnect-needed',
        lastError: {
          group: 'refresh',
          code: 0,
          message:
            'The provider no longer accepts this account’s refresh token: reconnect the account.',
        },
      }),
    );
    expect(statusOf('ana')).toHaveProperty('textContent', 'Reconnect needed');
    expect(row('ana').textContent).toContain('no longer accepts');
    bridge.api.connect.mockReturnValue(new Promise(() => undefined));
    await act(async () => {
      within(row('ana')).getByRole('button', { name: 'Reconnect ana@example.test' }).click();
      await Promise.resolve();
    });
    expect(bridge.api.connect).toHaveBeenCalledWith({ providerId: 'oidc' });
  });

  it('offers no Reconnect for a healthy account', async () => {
    await showAccounts(makeAccount());
    expect(within(row('ana')).queryByRole('button', { name: /Reconnect/ })).toBeNull();
  });

  it('says Error with the last error, and keeps counting down the token it still has', async () => {
    await showAccounts(
      makeAccount({
        status: 'error',
        expiresAt: NOW + 120_000,
        lastError: { group: 'refresh', code: 1, message: 'The provider could not be reached.' },
      }),
    );
    expect(statusOf('ana')).toHaveProperty('textContent', 'Error');
    expect(row('ana').textContent).toContain('The provider could not be reached.');
    expect(countdownOf('ana')).toHaveProperty('textContent', 'expires in 2:00');
  });
});

/** 100 accounts expiring 1:30, 2:30, … 100:30 minutes from now. */
const hundred = () =>
  Array.from({ length: 100 }, (_, i) =>
    makeAccount({
      id: `acct_${i}`,
      subject: `s${i}`,
      displayName: `user${String(i).padStart(3, '0')}@example.test`,
      email: `user${String(i).padStart(3, '0')}@example.test`,
      expiresAt: NOW + (i + 1) * 60_000 + 30_000,
    }),
  );

describe('one clock for the whole list', () => {
  it('registers a single interval for 100 rows, and each row still ticks', async () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    await showAccounts(...hundred());
    expect(screen.getAllByTestId('countdown')).toHaveLength(100);
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);

    await seconds(1);
    expect(countdownOf('user000')).toHaveProperty('textContent', 'expires in 1:29');
    expect(countdownOf('user099')).toHaveProperty('textContent', 'expires in 1:40:29');
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);
  });

  it('ticks without rendering: no React commit while the countdowns change', async () => {
    const bridge = fakeBridge({ providers: [makeProvider()], accounts: hundred() });
    const commits = vi.fn();
    render(
      <Profiler id="window" onRender={commits}>
        <App bridge={bridge} />
      </Profiler>,
    );
    await seconds(0);
    const before = screen.getAllByTestId('countdown').map((node) => node.textContent);
    commits.mockClear();

    await seconds(1);
    const after = screen.getAllByTestId('countdown').map((node) => node.textContent);
    expect(after.filter((text, i) => text !== before[i])).toHaveLength(100);
    expect(commits).not.toHaveBeenCalled();

    // The fifth row (5:30 at the start) turns Expiring soon after 31 s: that one is a commit.
    await seconds(29);
    expect(commits).not.toHaveBeenCalled();
    await seconds(1);
    expect(commits).toHaveBeenCalled();
    expect(statusOf('user004')).toHaveProperty('textContent', 'Expiring soon');
  });

  it('renders nothing when main pushes a list that says nothing new', async () => {
    const accounts = hundred();
    const bridge = fakeBridge({ providers: [makeProvider()], accounts });
    const commits = vi.fn();
    render(
      <Profiler id="window" onRender={commits}>
        <App bridge={bridge} />
      </Profiler>,
    );
    await seconds(0);
    commits.mockClear();
    await bridge.emit('accountsChanged', structuredClone(accounts));
    await seconds(0);
    expect(commits).not.toHaveBeenCalled();
    // A real change does render.
    await bridge.emit('accountsChanged', [
      { ...accounts[0]!, status: 'error' },
      ...accounts.slice(1),
    ]);
    expect(commits).toHaveBeenCalled();
  });

  it('stops the clock when no account is left on screen', async () => {
    const bridge = await showAccounts(makeAccount());
    expect(vi.getTimerCount()).toBe(1);
    await bridge.emit('accountsChanged', []);
    expect(vi.getTimerCount()).toBe(0);
  });
});
