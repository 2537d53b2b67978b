// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import type { RevocationOutcome } from '../../../../shared/model';
import {
  actAndSettle,
  fail,
  fakeBridge,
  makeAccount,
  makeProvider,
  NOW,
  ok,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

// The accounts' times are fixed: only the date is faked, timers run as usual for user-event.
beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const ana = makeAccount();

const setup = async (overrides: Parameters<typeof fakeBridge>[1] = {}) => {
  const bridge = fakeBridge({ providers: [makeProvider()], accounts: [ana] }, overrides);
  const user = userEvent.setup();
  await renderApp(bridge);
  const row = screen.getByRole('listitem', { name: /ana@example\.test/ });
  return { bridge, user, row };
};

describe('an account row', () => {
  it('is listed under its provider with who, provider and scopes', async () => {
    await setup();
    const list = screen.getByRole('list', { name: 'Local IdP accounts' });
    const row = within(list).getByRole('listitem', { name: 'ana@example.test' });
    expect(row.textContent).toContain('Local IdP');
    expect(row.textContent).toContain('openid email');
  });

  it('Copy copies the bare token and confirms with the clipboard clear delay', async () => {
    const { bridge, user } = await setup({
      copyToken: (input) =>
        ok({
          format: input.format,
          accountId: ana.id,
          expiresAt: ana.expiresAt,
          clearsAt: Date.now() + 30_000,
        }),
    });
    await user.click(screen.getByRole('button', { name: 'Copy token for ana@example.test' }));
    expect(bridge.api.copyToken).toHaveBeenCalledWith({ accountId: ana.id, format: 'bare' });
    const toast = screen.getByTestId('toast');
    expect(toast.getAttribute('role')).toBe('status');
    expect(toast.getAttribute('aria-live')).toBe('polite');
    expect(toast.textContent).toBe(
      'Copied the access token for ana@example.test; the clipboard clears in 30 s.',
    );
  });

  it('the format menu works from the keyboard and copies the chosen format', async () => {
    const { bridge, user } = await setup({
      copyToken: (input) => ok({ format: input.format, accountId: ana.id, expiresAt: null }),
    });
    const trigger = screen.getByRole('button', { name: 'Copy format for ana@example.test' });
    expect(trigger.getAttribute('aria-haspopup')).toBe('menu');
    trigger.focus();
    await user.keyboard('{Enter}');
    const menu = screen.getByRole('menu');
    expect(trigger.getAttribute('aria-expanded')).toBe('true');
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((item) => item.textContent),
    ).toEqual(['Bare token', 'Authorization header', 'curl command', 'JSON']);
    expect(document.activeElement?.textContent).toBe('Bare token');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('curl command');
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(document.activeElement?.textContent).toBe('JSON');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(trigger);
    expect(bridge.api.copyToken).not.toHaveBeenCalled();

    await user.keyboard('{ArrowDown}');
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(bridge.api.copyToken).toHaveBeenCalledWith({ accountId: ana.id, format: 'curl' });
    expect(screen.getByTestId('toast').textContent).toBe(
      'Copied a curl command for ana@example.test.',
    );
    expect(screen.queryByRole('menu')).toBeNull();

    await user.click(trigger);
    await user.click(screen.getByRole('menuitem', { name: 'Authorization header' }));
    expect(bridge.api.copyToken).toHaveBeenLastCalledWith({ accountId: ana.id, format: 'header' });
  });

  it('a failed copy shows the error as an alert, with the details on demand', async () => {
    const { user } = await setup({
      copyToken: () =>
        fail(errorOf('noRefreshToken', { traces: ['token endpoint answered invalid_grant'] })),
    });
    await user.click(screen.getByRole('button', { name: 'Copy token for ana@example.test' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not copy the token for ana@example.test');
    expect(alert.textContent).toContain('the provider gave no refresh token');
    const details = alert.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.textContent).toContain('token endpoint answered invalid_grant');
  });

  it('Refresh shows Refreshing… until main answers', async () => {
    let answer!: (value: Awaited<ReturnType<typeof ok<typeof ana>>>) => void;
    const { bridge, user, row } = await setup({
      refreshAccount: () => new Promise((resolve) => (answer = resolve)),
    });
    await user.click(within(row).getByRole('button', { name: 'Refresh ana@example.test' }));
    expect(bridge.api.refreshAccount).toHaveBeenCalledWith({ accountId: ana.id });
    expect(within(row).getByTestId('status').textContent).toBe('Refreshing…');
    await actAndSettle(() => answer({ ok: true, value: ana }));
    expect(within(row).getByTestId('status').textContent).toBe('Valid');
    expect(screen.getByTestId('toast').textContent).toContain('Refreshed the token');
  });
});

describe('an action that failed, then worked', () => {
  it('the refresh alert goes once a refresh of the same account succeeds', async () => {
    const { bridge, user, row } = await setup({
      refreshAccount: () => fail(errorOf('refreshFailed')),
      copyToken: (input) => ok({ format: input.format, accountId: ana.id, expiresAt: null }),
    });
    await user.click(within(row).getByRole('button', { name: 'Refresh ana@example.test' }));
    expect(screen.getByRole('alert').textContent).toContain(
      'Could not refresh the token for ana@example.test',
    );
    // Another action working says nothing about the refresh.
    await user.click(within(row).getByRole('button', { name: 'Copy token for ana@example.test' }));
    expect(screen.getByRole('alert').textContent).toContain('Could not refresh the token');

    bridge.api.refreshAccount.mockImplementation(() => ok(ana));
    await user.click(within(row).getByRole('button', { name: 'Refresh ana@example.test' }));
    expect(screen.getByTestId('toast').textContent).toContain('Refreshed the token');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('the copy alert goes once a copy of the same account succeeds', async () => {
    const { bridge, user, row } = await setup({ copyToken: () => fail(errorOf('internal')) });
    await user.click(within(row).getByRole('button', { name: 'Copy token for ana@example.test' }));
    expect(screen.getByRole('alert').textContent).toContain('Could not copy the token');
    bridge.api.copyToken.mockImplementation((input) =>
      ok({ format: input.format, accountId: ana.id, expiresAt: null }),
    );
    await user.click(within(row).getByRole('button', { name: 'Copy token for ana@example.test' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('dismissing an error', () => {
  it('gives the focus back to the button whose action failed', async () => {
    const { user, row } = await setup({ copyToken: () => fail(errorOf('internal')) });
    const copy = within(row).getByRole('button', { name: 'Copy token for ana@example.test' });
    await user.click(copy);
    await user.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(document.activeElement).toBe(copy);
  });

  it('gives it to the Accounts heading when that button is gone', async () => {
    const { bridge, user, row } = await setup({
      refreshAccount: () => fail(errorOf('refreshFailed')),
    });
    await user.click(within(row).getByRole('button', { name: 'Refresh ana@example.test' }));
    await bridge.emit('accountsChanged', []);
    await user.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Dismiss' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Accounts' }));
  });
});

describe('an account without a token in this session', () => {
  const tokenless = makeAccount({
    expiresAt: NOW + 40 * 60_000,
    hasToken: false,
    canRefresh: false,
    status: 'reconnect-needed',
    lastError: {
      group: 'refresh',
      code: 0,
      message: 'Its tokens were kept in memory only and are gone: reconnect the account.',
    },
  });

  const showTokenless = async (account = tokenless) => {
    const bridge = fakeBridge({ providers: [makeProvider()], accounts: [account] });
    await renderApp(bridge);
    return screen.getByRole('listitem', { name: /ana@example\.test/ });
  };

  it('says there is no token instead of counting down one that is not there', async () => {
    const row = await showTokenless();
    expect(within(row).getByTestId('countdown').textContent).toBe('No token: reconnect');
    expect(row.textContent).not.toContain('expires in');
    expect(within(row).getByTestId('status').textContent).toBe('Reconnect needed');
  });

  it('nor says a non-expiring token “does not expire”, even while main still says ok', async () => {
    const row = await showTokenless(
      makeAccount({ expiresAt: null, hasToken: false, canRefresh: false }),
    );
    expect(within(row).getByTestId('countdown').textContent).toBe('No token: reconnect');
    expect(row.textContent).not.toContain('does not expire');
    expect(within(row).getByTestId('status').textContent).toBe('Reconnect needed');
    expect(within(row).getByRole('button', { name: 'Reconnect ana@example.test' })).toBeTruthy();
  });

  it('offers Reconnect and Disconnect, not Copy or Refresh, which could only fail', async () => {
    const row = await showTokenless();
    for (const name of [
      'Copy token for ana@example.test',
      'Copy format for ana@example.test',
      'Refresh ana@example.test',
    ])
      expect(within(row).getByRole<HTMLButtonElement>('button', { name }).disabled).toBe(true);
    for (const name of ['Reconnect ana@example.test', 'Disconnect ana@example.test'])
      expect(within(row).getByRole<HTMLButtonElement>('button', { name }).disabled).toBe(false);
  });
});

describe('the format menu of an account that loses its token while it is open', () => {
  it('closes, gives its focus to the Accounts heading, and stays closed once Copy is back', async () => {
    const { bridge, user, row } = await setup();
    const trigger = within(row).getByRole<HTMLButtonElement>('button', {
      name: 'Copy format for ana@example.test',
    });
    trigger.focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('menu')).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Bare token');

    await bridge.emit('accountsChanged', [{ ...ana, hasToken: false }]);
    expect(trigger.disabled).toBe(true);
    expect(screen.queryByRole('menu')).toBeNull();
    // Not "expanded" with a popup that is not there.
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    expect(trigger.getAttribute('aria-controls')).toBeNull();
    // The item that had the focus is gone and the trigger cannot take it: not <body>.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Accounts' }));

    await bridge.emit('accountsChanged', [ana]);
    expect(trigger.disabled).toBe(false);
    expect(screen.queryByRole('menu')).toBeNull();
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Accounts' }));

    // It still opens when asked.
    await user.click(trigger);
    expect(screen.getByRole('menu')).toBeTruthy();
    expect(trigger.getAttribute('aria-expanded')).toBe('true');
  });
});

describe('disconnecting', () => {
  const disconnectWith = async (revocation: RevocationOutcome) => {
    const context = await setup({ disconnect: () => ok({ accountId: ana.id, revocation }) });
    const opener = screen.getByRole('button', { name: 'Disconnect ana@example.test' });
    await context.user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Disconnect ana@example.test?' });
    await context.user.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    // Main drops the account and pushes the list; the dialog stays to say what happened.
    await context.bridge.emit('accountsChanged', []);
    return { ...context, dialog };
  };

  it('asks first, and Cancel changes nothing and gives the focus back', async () => {
    const { bridge, user } = await setup({ disconnect: () => fail(errorOf('internal')) });
    const opener = screen.getByRole('button', { name: 'Disconnect ana@example.test' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Disconnect ana@example.test?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bridge.api.disconnect).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(opener);
  });

  it('Escape (the dialog’s cancel event) closes it', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Disconnect ana@example.test' }));
    const dialog = screen.getByRole('dialog', { name: 'Disconnect ana@example.test?' });
    await actAndSettle(() => dialog.dispatchEvent(new Event('cancel', { cancelable: true })));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says the provider revoked the token', async () => {
    const { bridge, dialog } = await disconnectWith({ status: 'revoked' });
    expect(bridge.api.disconnect).toHaveBeenCalledWith({ accountId: ana.id });
    expect(dialog.textContent).toContain(
      'Local IdP revoked the token: it no longer works anywhere.',
    );
    expect(screen.queryByRole('listitem', { name: /ana/ })).toBeNull();
  });

  it('says when the provider has no revocation, in its words', async () => {
    const { dialog } = await disconnectWith({
      status: 'unsupported',
      message: 'Microsoft Entra ID has no revocation endpoint.',
    });
    expect(dialog.textContent).toContain('was not asked to revoke the token');
    expect(dialog.textContent).toContain('Microsoft Entra ID has no revocation endpoint.');
    expect(dialog.textContent).toContain('keeps working until it expires');
  });

  it('says a token that never expires keeps working until revoked at the provider', async () => {
    const forever = makeAccount({ expiresAt: null });
    const bridge = fakeBridge(
      { providers: [makeProvider()], accounts: [forever] },
      {
        disconnect: () =>
          ok({
            accountId: forever.id,
            revocation: { status: 'unsupported', message: 'Local IdP has no revocation endpoint.' },
          }),
      },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Disconnect ana@example.test' }));
    const dialog = screen.getByRole('dialog', { name: 'Disconnect ana@example.test?' });
    await user.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    await bridge.emit('accountsChanged', []);
    expect(dialog.textContent).toContain('Local IdP has no revocation endpoint.');
    expect(dialog.textContent).not.toContain('until it expires');
    expect(dialog.textContent).toContain('does not expire');
    expect(dialog.textContent).toContain('until it is revoked');
    expect(dialog.textContent).toContain('your Local IdP account settings');
  });

  it('says when revocation failed, and what to do', async () => {
    const { dialog, user } = await disconnectWith({
      status: 'failed',
      error: { group: 'oauth', code: 1200, message: 'The revocation endpoint answered 503.' },
    });
    expect(dialog.textContent).toContain('Revoking the token at Local IdP failed');
    expect(dialog.textContent).toContain('The revocation endpoint answered 503.');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    // The row that opened the dialog is gone: the focus lands on the Accounts heading.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Accounts' }));
  });

  it('shows a refused disconnect as an alert in the dialog', async () => {
    const { user } = await setup({
      disconnect: () => fail(errorOf('storageWriteFailed')),
    });
    await user.click(screen.getByRole('button', { name: 'Disconnect ana@example.test' }));
    const dialog = screen.getByRole('dialog', { name: 'Disconnect ana@example.test?' });
    await user.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    expect(within(dialog).getByRole('alert').textContent).toContain(
      'The change could not be saved.',
    );
  });
});
