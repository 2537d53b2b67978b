// @vitest-environment happy-dom
/**
 * The approval prompt: a `tokendesk` command asks for an account's tokens, and the window asks
 * the user, whatever it shows, one request at a time, until main no longer lists it.
 */
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import type { ApprovalRequestView, CommandLineView } from '../../../../shared/model';
import {
  actAndSettle,
  EMPTY_COMMAND_LINE,
  fail,
  fakeBridge,
  makeApprovalRequest,
  makeProvider,
  NOW,
  type FakeBridge,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  // Date only: Testing Library waits on real timers. The countdown's tests fake them all.
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const TITLE = 'A command asks for a token for github:octocat';

const setUp = async (
  pending: readonly ApprovalRequestView[],
  { providers = [makeProvider()] } = {},
): Promise<{ bridge: FakeBridge; user: ReturnType<typeof userEvent.setup> }> => {
  const commandLine: CommandLineView = { ...EMPTY_COMMAND_LINE, enabled: true, pending };
  const bridge = fakeBridge({ providers, commandLine });
  const user = userEvent.setup();
  await renderApp(bridge);
  return { bridge, user };
};

const prompt = (name: string | RegExp = TITLE) => screen.getByRole('dialog', { name });
const noPrompt = () => expect(screen.queryByRole('dialog', { name: /A command asks/ })).toBeNull();

const pressEscape = (dialog: HTMLElement) =>
  actAndSettle(() => dialog.dispatchEvent(new Event('cancel', { cancelable: true })));

const seconds = (count: number) => act(() => vi.advanceTimersByTimeAsync(count * 1000));

describe('a pending request', () => {
  it('opens the prompt at start with who asked, and the focus on Deny', async () => {
    await setUp([makeApprovalRequest()]);
    const dialog = prompt();
    expect(within(dialog).getByText('git-credential').tagName).toBe('CODE');
    expect(within(dialog).getByText('tokendesk git-credential get').tagName).toBe('CODE');
    expect(within(dialog).getByText('Run by')).toBeTruthy();
    expect(within(dialog).getByText('git push origin main').tagName).toBe('CODE');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Deny' }));
    // One hour unless the user chooses otherwise.
    expect(within(dialog).getByRole<HTMLInputElement>('radio', { name: '1 hour' }).checked).toBe(
      true,
    );
  });

  it('leaves out "Run by" when the process that ran the command is not known', async () => {
    await setUp([makeApprovalRequest({ parent: undefined })]);
    expect(within(prompt()).queryByText('Run by')).toBeNull();
  });

  it('counts down the time left to answer', async () => {
    vi.useFakeTimers({ now: NOW });
    await setUp([makeApprovalRequest({ expiresAt: NOW + 42_000 })]);
    const countdown = within(prompt()).getByTestId('approval-countdown');
    expect(countdown.textContent).toBe('Answer within 42 s.');
    await seconds(1);
    expect(countdown.textContent).toBe('Answer within 41 s.');
    await seconds(41);
    expect(countdown.textContent).toBe('The time to answer is up: the command has been refused.');
  });

  it('says minutes when there are more than sixty seconds left', async () => {
    vi.useFakeTimers({ now: NOW });
    await setUp([makeApprovalRequest({ expiresAt: NOW + 125_000 })]);
    expect(within(prompt()).getByTestId('approval-countdown').textContent).toBe(
      'Answer within 2 min 5 s.',
    );
  });

  it('opens when main pushes the request, even on the welcome screen', async () => {
    const { bridge } = await setUp([], { providers: [] });
    expect(screen.getByRole('button', { name: 'Add a provider' })).toBeTruthy();
    noPrompt();
    await bridge.commandLine.change((view) => ({ ...view, pending: [makeApprovalRequest()] }));
    expect(prompt()).toBeTruthy();
  });

  it('opens over Settings, which is still there once the prompt is answered', async () => {
    const { bridge, user } = await setUp([]);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await bridge.commandLine.change((view) => ({ ...view, pending: [makeApprovalRequest()] }));
    await user.click(within(prompt()).getByRole('button', { name: 'Deny' }));
    noPrompt();
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });
});

describe('the answer', () => {
  it('Allow sends an hour by default, and the prompt goes', async () => {
    const { bridge, user } = await setUp([makeApprovalRequest()]);
    await user.click(within(prompt()).getByRole('button', { name: 'Allow' }));
    expect(bridge.api.answerApproval).toHaveBeenCalledWith({
      requestId: 'req_1',
      decision: 'allow',
      allowForSeconds: 3600,
    });
    noPrompt();
  });

  it.each([
    ['15 minutes', 900],
    ['8 hours', 28_800],
    ['Until Tokendesk quits', null],
  ])('Allow for %s sends %s', async (label, allowForSeconds) => {
    const { bridge, user } = await setUp([makeApprovalRequest()]);
    await user.click(within(prompt()).getByRole('radio', { name: label }));
    await user.click(within(prompt()).getByRole('button', { name: 'Allow' }));
    expect(bridge.api.answerApproval).toHaveBeenCalledWith({
      requestId: 'req_1',
      decision: 'allow',
      allowForSeconds,
    });
  });

  it('an allowed account is listed in Settings with its end', async () => {
    const { user } = await setUp([makeApprovalRequest()]);
    await user.click(within(prompt()).getByRole('radio', { name: 'Until Tokendesk quits' }));
    await user.click(within(prompt()).getByRole('button', { name: 'Allow' }));
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const approvals = within(screen.getByRole('dialog', { name: 'Settings' })).getByRole('region', {
      name: 'Approvals',
    });
    expect(within(approvals).getByRole('listitem').textContent).toBe(
      'github:octocatuntil Tokendesk quitsRevoke',
    );
  });

  it('Deny sends deny, and the prompt goes', async () => {
    const { bridge, user } = await setUp([makeApprovalRequest()]);
    await user.click(within(prompt()).getByRole('button', { name: 'Deny' }));
    expect(bridge.api.answerApproval).toHaveBeenCalledWith({
      requestId: 'req_1',
      decision: 'deny',
    });
    noPrompt();
  });

  it('Escape denies', async () => {
    const { bridge } = await setUp([makeApprovalRequest()]);
    await pressEscape(prompt());
    expect(bridge.api.answerApproval).toHaveBeenCalledWith({
      requestId: 'req_1',
      decision: 'deny',
    });
    noPrompt();
  });

  it('answered elsewhere or timed out: the prompt goes when main says so, unanswered', async () => {
    const { bridge } = await setUp([makeApprovalRequest()]);
    expect(prompt()).toBeTruthy();
    await bridge.commandLine.change((view) => ({ ...view, pending: [] }));
    noPrompt();
    expect(bridge.api.answerApproval).not.toHaveBeenCalled();
  });

  it('an answer main says came too late closes the prompt without a word', async () => {
    const { bridge, user } = await setUp([makeApprovalRequest()]);
    bridge.api.answerApproval.mockImplementation(() => fail(errorOf('approvalNotPending')));
    await user.click(within(prompt()).getByRole('button', { name: 'Allow' }));
    noPrompt();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('toast').textContent).toBe('');
  });

  it('an answer that fails otherwise says so, and the prompt stays to answer again', async () => {
    const { bridge, user } = await setUp([makeApprovalRequest()]);
    bridge.api.answerApproval.mockImplementationOnce(() => fail(errorOf('internal')));
    await user.click(within(prompt()).getByRole('button', { name: 'Allow' }));
    const alert = within(prompt()).getByRole('alert');
    expect(alert.textContent).toContain('Your answer was not taken');
    await user.click(within(prompt()).getByRole('button', { name: 'Allow' }));
    expect(bridge.api.answerApproval).toHaveBeenCalledTimes(2);
    noPrompt();
  });
});

describe('an answer on its way', () => {
  it('takes no second answer, and the prompt goes when it arrives', async () => {
    const bridge = fakeBridge(
      {
        providers: [makeProvider()],
        commandLine: { ...EMPTY_COMMAND_LINE, enabled: true, pending: [makeApprovalRequest()] },
      },
      {},
      { answerLater: ['answerApproval'] },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    const dialog = prompt();
    await user.click(within(dialog).getByRole('button', { name: 'Allow' }));
    expect(within(dialog).getByRole('button', { name: 'Deny' }).getAttribute('aria-disabled')).toBe(
      'true',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    await pressEscape(dialog);
    await bridge.whenQuiet();
    expect(bridge.api.answerApproval).toHaveBeenCalledTimes(1);
    expect(bridge.api.answerApproval).toHaveBeenCalledWith({
      requestId: 'req_1',
      decision: 'allow',
      allowForSeconds: 3600,
    });
    noPrompt();
  });

  it('the request leaving meanwhile closes the prompt, and the late answer changes nothing', async () => {
    const bridge = fakeBridge(
      {
        providers: [makeProvider()],
        commandLine: { ...EMPTY_COMMAND_LINE, enabled: true, pending: [makeApprovalRequest()] },
      },
      { answerApproval: () => fail(errorOf('approvalNotPending')) },
      { answerLater: ['answerApproval'] },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(within(prompt()).getByRole('button', { name: 'Allow' }));
    await bridge.commandLine.change((view) => ({ ...view, pending: [] }));
    noPrompt();
    await bridge.whenQuiet();
    noPrompt();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('toast').textContent).toBe('');
  });
});

describe('several requests', () => {
  const first = makeApprovalRequest({ id: 'req_1', askedAt: NOW - 5_000 });
  const second = makeApprovalRequest({
    id: 'req_2',
    accountId: 'acct_gl',
    accountName: 'gitlab:ana',
    subcommand: 'token',
    commandLine: 'tokendesk token gitlab',
    parent: undefined,
    askedAt: NOW,
  });

  it('asks about the oldest first, says how many wait, then asks about the next', async () => {
    // The newer one first in main's list: the order asked is what counts.
    const { bridge, user } = await setUp([second, first]);
    const dialog = prompt();
    expect(dialog.textContent).toContain('1 more request is waiting.');
    expect(screen.getAllByRole('dialog', { name: /A command asks/ })).toHaveLength(1);

    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    expect(bridge.api.answerApproval).toHaveBeenLastCalledWith({
      requestId: 'req_1',
      decision: 'deny',
    });
    const next = prompt('A command asks for a token for gitlab:ana');
    expect(next.textContent).not.toContain('more request');
    expect(within(next).getByText('tokendesk token gitlab')).toBeTruthy();
    // A new prompt: the focus is on its own Deny, not left where the last one was.
    expect(document.activeElement).toBe(within(next).getByRole('button', { name: 'Deny' }));

    await user.click(within(next).getByRole('button', { name: 'Allow' }));
    expect(bridge.api.answerApproval).toHaveBeenLastCalledWith({
      requestId: 'req_2',
      decision: 'allow',
      allowForSeconds: 3600,
    });
    noPrompt();
  });

  it('a request answered here stays away even if a late view still lists it', async () => {
    const { bridge, user } = await setUp([first, second]);
    await user.click(within(prompt()).getByRole('button', { name: 'Deny' }));
    // An event sent before main took the answer arrives after it.
    await bridge.emit('commandLineChanged', {
      ...EMPTY_COMMAND_LINE,
      enabled: true,
      pending: [first, second],
    });
    expect(prompt('A command asks for a token for gitlab:ana')).toBeTruthy();
    expect(screen.queryByRole('dialog', { name: TITLE })).toBeNull();
  });
});
