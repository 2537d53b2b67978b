// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf, type Result } from '../../../../shared/errors';
import type { ConnectResult } from '../../../../shared/ipc-contract';
import {
  actAndSettle,
  fakeBridge,
  makeAccount,
  makeProvider,
  NOW,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** A connect whose answer the test gives when it wants, as a real sign-in takes its time. */
const pendingConnect = () => {
  let answer!: (result: Result<ConnectResult>) => void;
  const bridge = fakeBridge(
    { providers: [makeProvider()] },
    { connect: () => new Promise((resolve) => (answer = resolve)) },
  );
  return { bridge, answer: (result: Result<ConnectResult>) => actAndSettle(() => answer(result)) };
};

const startConnect = async () => {
  const { bridge, answer } = pendingConnect();
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Connect Local IdP' }));
  const card = screen.getByRole('region', { name: 'Local IdP' });
  return { bridge, answer, user, card };
};

describe('connecting an account', () => {
  it('shows each stage main reports, in words', async () => {
    const { bridge, card } = await startConnect();
    expect(bridge.api.connect).toHaveBeenCalledWith({ providerId: 'oidc' });
    const status = within(card).getByRole('status');
    expect(status.textContent).toContain('Starting sign-in with Local IdP…');
    expect(
      within(card).getByRole<HTMLButtonElement>('button', { name: 'Connect Local IdP' }).disabled,
    ).toBe(true);

    await bridge.emit('connectProgress', { providerId: 'oidc', stage: 'waiting-for-consent' });
    expect(status.textContent).toContain('Waiting for you to sign in at Local IdP…');
    await bridge.emit('connectProgress', { providerId: 'oidc', stage: 'exchanging' });
    expect(status.textContent).toContain('Exchanging the code…');
    await bridge.emit('connectProgress', { providerId: 'oidc', stage: 'identifying' });
    expect(status.textContent).toContain('Finding out whose account this is…');
    // Another provider's progress is not this card's business.
    await bridge.emit('connectProgress', { providerId: 'github', stage: 'exchanging' });
    expect(status.textContent).toContain('Finding out whose account this is…');
  });

  it('on success clears the progress, lists the account and says so', async () => {
    const { bridge, answer, card } = await startConnect();
    const account = makeAccount();
    bridge.api.listAccounts.mockResolvedValue({ ok: true, value: [account] });
    await bridge.emit('connectProgress', { providerId: 'oidc', stage: 'done' });
    await answer({ ok: true, value: { account, created: true } });
    expect(within(card).getByRole('status').textContent).toBe('');
    expect(screen.getByTestId('toast').textContent).toBe(
      'Connected ana@example.test at Local IdP.',
    );
    expect(await screen.findByRole('listitem', { name: /ana@example\.test/ })).toBeTruthy();
  });

  it('Cancel sign-in asks main to stop, and the cancellation is not an error', async () => {
    const { bridge, answer, user, card } = await startConnect();
    await user.click(within(card).getByRole('button', { name: 'Cancel sign-in' }));
    expect(bridge.api.cancelConnect).toHaveBeenCalledWith({ providerId: 'oidc' });
    await answer({ ok: false, error: errorOf('consentCancelled') });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Cancel sign-in' })).toBeNull();
    expect(screen.getByTestId('toast').textContent).toContain('cancelled');
  });

  it.each([
    [
      'consent denied',
      errorOf('consentDenied', {
        message:
          'Consent was denied at the provider: access_denied (End-User aborted interaction).',
        traces: ['error=access_denied'],
      }),
      'End-User aborted interaction',
    ],
    [
      'a wrong client secret',
      errorOf('invalidClient', { traces: ['invalid_client: client authentication failed'] }),
      'check the client ID and secret',
    ],
    [
      'a network failure',
      errorOf('exchangeFailed', { message: 'Token exchange: the provider could not be reached.' }),
      'could not be reached',
    ],
    ['a timeout', errorOf('consentTimedOut'), 'took too long'],
  ])('shows %s in plain words with the details in a disclosure', async (_, error, words) => {
    const { bridge, answer, card } = await startConnect();
    await bridge.emit('connectProgress', { providerId: 'oidc', stage: 'failed' });
    await answer({ ok: false, error });
    const alert = within(card).getByRole('alert');
    expect(alert.textContent).toContain('Could not connect Local IdP');
    expect(alert.textContent).toContain(words);
    const details = within(alert).getByText('Details').closest('details')!;
    expect(details.textContent).toContain(`${error.group}/${error.code}`);
    for (const trace of error.traces ?? []) expect(details.textContent).toContain(trace);
    expect(
      within(card).getByRole<HTMLButtonElement>('button', { name: 'Connect Local IdP' }).disabled,
    ).toBe(false);
  });
});

describe('a sign-in error on a provider card', () => {
  it('stays when the attempt’s progress events come after the answer (IPC does not order them)', async () => {
    const { bridge, answer, card } = await startConnect();
    await answer({ ok: false, error: errorOf('providerNotConfigured') });
    await bridge.emit('connectProgress', { providerId: 'oidc', stage: 'starting' });
    await bridge.emit('connectProgress', { providerId: 'oidc', stage: 'failed' });
    expect(within(card).getByRole('alert').textContent).toContain('Could not connect Local IdP');
  });

  it('Dismiss gives the focus back to the card’s Connect button', async () => {
    const { answer, user, card } = await startConnect();
    await answer({ ok: false, error: errorOf('consentDenied') });
    const alert = within(card).getByRole('alert');
    await user.click(
      within(alert).getByRole('button', { name: 'Dismiss the sign-in error of Local IdP' }),
    );
    expect(within(card).queryByRole('alert')).toBeNull();
    expect(document.activeElement).toBe(
      within(card).getByRole('button', { name: 'Connect Local IdP' }),
    );
  });
});

describe('the first load', () => {
  it('a list of accounts that did not arrive is a load error, not “No accounts yet”', async () => {
    const bridge = fakeBridge(
      { providers: [makeProvider()] },
      { listAccounts: () => Promise.resolve({ ok: false, error: errorOf('internal') }) },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('could not load your accounts');
    expect(document.body.textContent).not.toContain('No accounts yet');

    bridge.api.listAccounts.mockImplementation(() => Promise.resolve({ ok: true, value: [] }));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText(/No accounts yet/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('with no providers either, a failed account list does not pass for a first run', async () => {
    await renderApp(
      fakeBridge(
        {},
        { listAccounts: () => Promise.resolve({ ok: false, error: errorOf('internal') }) },
      ),
    );
    expect(screen.getByRole('alert').textContent).toContain('could not load your accounts');
    expect(screen.queryByRole('heading', { name: 'Welcome to Tokendesk' })).toBeNull();
  });

  it('a list main pushes afterwards is a list that arrived', async () => {
    const bridge = fakeBridge(
      { providers: [makeProvider()] },
      { listAccounts: () => Promise.resolve({ ok: false, error: errorOf('internal') }) },
    );
    await renderApp(bridge);
    expect(screen.getByRole('alert').textContent).toContain('could not load your accounts');
    await bridge.emit('accountsChanged', [makeAccount()]);
    expect(screen.getByRole('listitem', { name: /ana@example\.test/ })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('events', () => {
  it('subscribes once to each event and lets go when the window goes', async () => {
    const bridge = fakeBridge();
    const { unmount } = await renderApp(bridge);
    expect(bridge.listenerCount('accountsChanged')).toBe(1);
    expect(bridge.listenerCount('connectProgress')).toBe(1);
    unmount();
    expect(bridge.listenerCount('accountsChanged')).toBe(0);
    expect(bridge.listenerCount('connectProgress')).toBe(0);
  });

  it('takes a list pushed while the first one is on its way over the older answer', async () => {
    let answerList!: (result: Result<readonly ReturnType<typeof makeAccount>[]>) => void;
    const bridge = fakeBridge(
      { providers: [makeProvider()] },
      { listAccounts: () => new Promise((resolve) => (answerList = resolve)) },
    );
    await renderApp(bridge);
    await bridge.emit('accountsChanged', [
      makeAccount({ displayName: 'newer@example.test', email: 'newer@example.test' }),
    ]);
    await actAndSettle(() =>
      answerList({ ok: true, value: [makeAccount({ displayName: 'older@example.test' })] }),
    );
    expect(screen.getByRole('listitem', { name: 'newer@example.test' })).toBeTruthy();
    expect(screen.queryByRole('listitem', { name: 'older@example.test' })).toBeNull();
  });
});
