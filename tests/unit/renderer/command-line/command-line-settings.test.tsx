// @vitest-environment happy-dom
/**
 * Settings' "Command line" part as the user meets it: the switch saved as it is flipped, the
 * approvals with their ends and Revoke, the hand-out log newest first with Clear log, all kept
 * current by main's commandLineChanged event.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import type { CommandLineView, HandOutEntry } from '../../../../shared/model';
import {
  DEFAULT_SETTINGS,
  EMPTY_COMMAND_LINE,
  fail,
  fakeBridge,
  makeProvider,
  NOW,
  ok,
  type FakeBridge,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  // Date only: the clock's interval and the fake bridge's answers keep real timers.
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** A local time on NOW's local day, whatever the time zone the tests run in. */
const today = (hours: number, minutes: number, seconds = 0) =>
  new Date(NOW).setHours(hours, minutes, seconds, 0);

const SWITCH = 'Let the tokendesk command ask for tokens';

const openSettings = async (bridge: FakeBridge) => {
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  const dialog = screen.getByRole('dialog', { name: 'Settings' });
  return { user, dialog };
};

const withCommandLine = (commandLine: Partial<CommandLineView>, settings = DEFAULT_SETTINGS) =>
  fakeBridge({
    providers: [makeProvider()],
    settings,
    commandLine: { ...EMPTY_COMMAND_LINE, ...commandLine },
  });

const approvalsOf = (dialog: HTMLElement) =>
  within(dialog).getByRole('region', { name: 'Approvals' });
const logOf = (dialog: HTMLElement) => within(dialog).getByRole('region', { name: 'Hand-out log' });

describe('the command-line switch', () => {
  it('is off by default and explains the command, the approvals and their end', async () => {
    const { dialog } = await openSettings(withCommandLine({}));
    const toggle = within(dialog).getByRole<HTMLInputElement>('switch', { name: SWITCH });
    expect(toggle.checked).toBe(false);
    const group = within(dialog).getByRole('group', { name: 'Command line' });
    expect(group.textContent).toContain('tokendesk token github');
    expect(group.textContent).toContain('tokendesk git-credential');
    expect(group.textContent).toContain('The first time a command asks for an account');
    expect(group.textContent).toContain('Approvals end when Tokendesk quits');
  });

  it('saves as it is flipped, on then off, and leaves the dialog open', async () => {
    const bridge = withCommandLine({});
    bridge.api.saveSettings.mockImplementation((input) =>
      ok({ ...DEFAULT_SETTINGS, commandLineAccess: input?.commandLineAccess ?? false }),
    );
    const { user, dialog } = await openSettings(bridge);
    const toggle = within(dialog).getByRole<HTMLInputElement>('switch', { name: SWITCH });

    await user.click(toggle);
    expect(bridge.api.saveSettings).toHaveBeenLastCalledWith({ commandLineAccess: true });
    expect(toggle.checked).toBe(true);
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBe(dialog);

    await user.click(toggle);
    expect(bridge.api.saveSettings).toHaveBeenLastCalledWith({ commandLineAccess: false });
    expect(toggle.checked).toBe(false);

    // Reopened, the window shows what main saved.
    await user.click(toggle);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const again = screen.getByRole('dialog', { name: 'Settings' });
    expect(within(again).getByRole<HTMLInputElement>('switch', { name: SWITCH }).checked).toBe(
      true,
    );
  });

  it('is not sent by Save settings, which saves the other fields as before', async () => {
    const bridge = withCommandLine({}, { ...DEFAULT_SETTINGS, commandLineAccess: true });
    bridge.api.saveSettings.mockImplementation(() =>
      ok({ ...DEFAULT_SETTINGS, commandLineAccess: true }),
    );
    const { user, dialog } = await openSettings(bridge);
    expect(within(dialog).getByRole<HTMLInputElement>('switch', { name: SWITCH }).checked).toBe(
      true,
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(bridge.api.saveSettings).toHaveBeenCalledWith({
      clipboardClearSeconds: null,
      persistWeakSecrets: false,
    });
  });

  it('refused, shows why, goes back to off, and keeps what was typed above it', async () => {
    const bridge = withCommandLine({});
    bridge.api.saveSettings.mockImplementation(() =>
      fail(errorOf('storageWriteFailed', { message: 'The disk refused the change.' })),
    );
    const { user, dialog } = await openSettings(bridge);
    await user.click(within(dialog).getByLabelText('Clear the clipboard after copying a token'));
    const seconds = within(dialog).getByLabelText<HTMLInputElement>(/Seconds until it is cleared/);
    await user.clear(seconds);
    await user.type(seconds, '45');

    const toggle = within(dialog).getByRole<HTMLInputElement>('switch', { name: SWITCH });
    await user.click(toggle);
    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toContain('Command-line access was not turned on');
    expect(alert.textContent).toContain('The disk refused the change.');
    expect(toggle.checked).toBe(false);
    expect(seconds.value).toBe('45');
  });
});

describe('the approvals', () => {
  const approvals = [
    { accountId: 'acct_gh', accountName: 'github:octocat', until: today(14, 30) },
    { accountId: 'acct_gl', accountName: 'gitlab:ana', until: null },
  ];

  it('lists each approved account with its end', async () => {
    const { dialog } = await openSettings(withCommandLine({ enabled: true, approvals }));
    const rows = within(approvalsOf(dialog)).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual([
      'github:octocatuntil 14:30Revoke',
      'gitlab:anauntil Tokendesk quitsRevoke',
    ]);
  });

  it('says when no account is approved', async () => {
    const { dialog } = await openSettings(withCommandLine({ enabled: true }));
    expect(within(approvalsOf(dialog)).queryByRole('list')).toBeNull();
    expect(approvalsOf(dialog).textContent).toContain('No account is approved');
  });

  it('Revoke asks main to end the approval, and its row goes', async () => {
    const bridge = withCommandLine({ enabled: true, approvals });
    const { user, dialog } = await openSettings(bridge);
    await user.click(
      within(approvalsOf(dialog)).getByRole('button', { name: 'Revoke github:octocat' }),
    );
    expect(bridge.api.revokeApproval).toHaveBeenCalledWith({ accountId: 'acct_gh' });
    const rows = within(approvalsOf(dialog)).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual(['gitlab:anauntil Tokendesk quitsRevoke']);
    // The button that had the focus is gone: the list's heading has it, inside the dialog.
    await waitFor(() =>
      expect(document.activeElement).toBe(
        within(dialog).getByRole('heading', { name: 'Approvals' }),
      ),
    );
  });

  it('a refused Revoke says so and keeps the row', async () => {
    const bridge = withCommandLine({ enabled: true, approvals });
    bridge.api.revokeApproval.mockImplementation(() => fail(errorOf('internal')));
    const { user, dialog } = await openSettings(bridge);
    await user.click(within(dialog).getByRole('button', { name: 'Revoke gitlab:ana' }));
    expect(within(dialog).getByRole('alert').textContent).toContain(
      'The approval for gitlab:ana was not revoked',
    );
    expect(within(approvalsOf(dialog)).getAllByRole('button', { name: /^Revoke / })).toHaveLength(
      2,
    );
  });

  it('follows main: a row goes when the event says the approval ended', async () => {
    const bridge = withCommandLine({ enabled: true, approvals });
    const { dialog } = await openSettings(bridge);
    await bridge.commandLine.change((view) => ({
      ...view,
      approvals: view.approvals.filter((approval) => approval.accountId !== 'acct_gl'),
    }));
    expect(within(approvalsOf(dialog)).queryByText('gitlab:ana')).toBeNull();
    expect(within(approvalsOf(dialog)).getByText('github:octocat')).toBeTruthy();
    expect(bridge.api.revokeApproval).not.toHaveBeenCalled();
  });

  it('an end on another day says its date', async () => {
    const tomorrow = new Date(NOW);
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(9, 5, 0, 0);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    const { dialog } = await openSettings(
      withCommandLine({
        approvals: [{ accountId: 'a', accountName: 'github:octocat', until: tomorrow.getTime() }],
      }),
    );
    expect(approvalsOf(dialog).textContent).toContain(`until ${day} 09:05`);
  });
});

describe('the hand-out log', () => {
  const log: HandOutEntry[] = [
    {
      at: today(10, 15, 30),
      accountId: 'acct_gh',
      accountName: 'github:octocat',
      subcommand: 'git-credential',
      commandLine: 'tokendesk git-credential get',
      outcome: 'handed-out',
    },
    {
      at: today(10, 14, 2),
      subcommand: 'token',
      commandLine: 'tokendesk token nowhere',
      outcome: 'failed',
      detail: 'No account matches nowhere.',
    },
    {
      at: today(10, 13, 0),
      accountId: 'acct_gl',
      accountName: 'gitlab:ana',
      subcommand: 'run',
      commandLine: 'tokendesk run gitlab -- glab mr list',
      outcome: 'denied',
    },
    {
      at: today(10, 12, 0),
      accountId: 'acct_gl',
      accountName: 'gitlab:ana',
      subcommand: 'kube',
      commandLine: 'tokendesk kube gitlab',
      outcome: 'timed-out',
    },
    {
      at: today(8, 0, 0),
      subcommand: 'token',
      commandLine: 'tokendesk token github',
      outcome: 'access-off',
    },
  ];

  const rowsOf = (dialog: HTMLElement) =>
    within(logOf(dialog))
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );

  it('shows each request newest first: time, account, subcommand, command line, outcome', async () => {
    // Out of order on purpose: the newest is read first whatever order main sent.
    const { dialog } = await openSettings(
      withCommandLine({ log: [log[2]!, log[0]!, log[4]!, log[1]!, log[3]!] }),
    );
    expect(
      within(logOf(dialog))
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Time', 'Account', 'Subcommand', 'Command line', 'Outcome']);
    expect(rowsOf(dialog)).toEqual([
      [
        '10:15:30',
        'github:octocat',
        'git-credential',
        'tokendesk git-credential get',
        'Handed out',
      ],
      ['10:14:02', '—', 'token', 'tokendesk token nowhere', 'Failed: No account matches nowhere.'],
      ['10:13:00', 'gitlab:ana', 'run', 'tokendesk run gitlab -- glab mr list', 'Denied'],
      ['10:12:00', 'gitlab:ana', 'kube', 'tokendesk kube gitlab', 'Timed out'],
      ['08:00:00', '—', 'token', 'tokendesk token github', 'Access off'],
    ]);
  });

  it('scrolls on its own and can be reached from the keyboard to scroll it', async () => {
    const { dialog } = await openSettings(withCommandLine({ log }));
    expect(logOf(dialog).tabIndex).toBe(0);
    expect(logOf(dialog).className).toBe('hand-out-log');
  });

  it('shows a new line as soon as main pushes it', async () => {
    const bridge = withCommandLine({ log: [log[1]!] });
    const { dialog } = await openSettings(bridge);
    await bridge.commandLine.change((view) => ({ ...view, log: [log[0]!, ...view.log] }));
    expect(rowsOf(dialog).map((cells) => cells[0])).toEqual(['10:15:30', '10:14:02']);
  });

  it('Clear log empties it and says so', async () => {
    const bridge = withCommandLine({ log });
    const { user, dialog } = await openSettings(bridge);
    const clear = within(dialog).getByRole('button', { name: 'Clear log' });
    await user.click(clear);
    expect(bridge.api.clearCommandLog).toHaveBeenCalledTimes(1);
    expect(within(dialog).queryByRole('region', { name: 'Hand-out log' })).toBeNull();
    expect(within(dialog).getByText(/Nothing yet: each request of the command is written here/));
    // The button stays where the focus is, unavailable while there is nothing to clear.
    expect(clear.isConnected).toBe(true);
    expect(clear.getAttribute('aria-disabled')).toBe('true');
    await user.click(clear);
    expect(bridge.api.clearCommandLog).toHaveBeenCalledTimes(1);
  });

  it('a refused Clear log says so and keeps the lines', async () => {
    const bridge = withCommandLine({ log });
    bridge.api.clearCommandLog.mockImplementation(() => fail(errorOf('internal')));
    const { user, dialog } = await openSettings(bridge);
    await user.click(within(dialog).getByRole('button', { name: 'Clear log' }));
    expect(within(dialog).getByRole('alert').textContent).toContain('The log was not cleared');
    expect(rowsOf(dialog)).toHaveLength(log.length);
  });

  it('shows nothing but the fields it names: a token slipped into an entry never appears', async () => {
    const leaky = { ...log[0]!, token: 'gho_SECRET_TOKEN_VALUE' } as HandOutEntry;
    const { dialog } = await openSettings(withCommandLine({ log: [leaky] }));
    expect(rowsOf(dialog)).toHaveLength(1);
    expect(document.body.textContent).not.toContain('gho_SECRET_TOKEN_VALUE');
    expect(dialog.innerHTML).not.toContain('gho_SECRET_TOKEN_VALUE');
  });
});

describe('when main cannot say', () => {
  it('says the approvals and log could not be loaded, and Try again reads them', async () => {
    const bridge = withCommandLine({ log: [] });
    bridge.api.getCommandLine.mockImplementationOnce(() => fail(errorOf('internal')));
    const { user, dialog } = await openSettings(bridge);
    const group = within(dialog).getByRole('group', { name: 'Command line' });
    expect(within(group).getByRole('alert').textContent).toContain(
      'Tokendesk could not load the approvals and the hand-out log',
    );
    // The switch still works: it is a setting, not part of that state.
    expect(within(group).getByRole('switch', { name: SWITCH })).toBeTruthy();
    await user.click(within(group).getByRole('button', { name: 'Try again' }));
    expect(within(group).queryByRole('alert')).toBeNull();
    expect(within(group).getByRole('region', { name: 'Approvals' })).toBeTruthy();
  });
});
