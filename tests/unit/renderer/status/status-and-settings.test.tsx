// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import { LIMITS } from '../../../../shared/ipc-contract';
import type { AppStatus, SecretsStatus } from '../../../../shared/model';
import { App } from '../../../../renderer/src/app';
import { CLIPBOARD_CLEAR_SECONDS } from '../../../../renderer/src/settings/settings-dialog';
import {
  DEFAULT_SETTINGS,
  fail,
  fakeBridge,
  makeProvider,
  ok,
  SECURE_STATUS,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

afterEach(cleanup);

const withSecrets = (secrets: Partial<SecretsStatus>, storage: AppStatus['storage'] = {}) =>
  fakeBridge({
    providers: [makeProvider()],
    status: { storage, secrets: { ...SECURE_STATUS.secrets, ...secrets } },
  });

describe('the secrets warning', () => {
  it('is absent when a keyring protects the secrets', async () => {
    await renderApp(fakeBridge({ providers: [makeProvider()] }));
    expect(screen.queryByRole('region', { name: 'Secrets warning' })).toBeNull();
  });

  it('says in one message what it means and what to do, and offers the opt-in with its risk', async () => {
    const bridge = withSecrets({
      persistent: false,
      weak: true,
      protection: 'basic_text',
    });
    bridge.api.saveSettings.mockImplementation((input) =>
      ok({ ...DEFAULT_SETTINGS, persistWeakSecrets: input?.persistWeakSecrets ?? false }),
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    const banner = screen.getByRole('region', { name: 'Secrets warning' });
    // One title and one message (it said the same thing three times in three paragraphs).
    expect(within(banner).getByRole('heading').textContent).toBe('Secrets are kept in memory only');
    expect(banner.querySelectorAll('p')).toHaveLength(1);
    expect(banner.textContent).toContain('every account needs connecting again');
    expect(banner.textContent).toContain('unlock or install a keyring');
    expect(banner.textContent?.match(/memory/g)).toHaveLength(1);

    await user.click(within(banner).getByRole('button', { name: 'Store on disk anyway…' }));
    const dialog = screen.getByRole('dialog', { name: 'Store secrets on disk anyway?' });
    expect(dialog.textContent).toContain('can take your refresh tokens');
    expect(bridge.api.saveSettings).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Store on disk anyway' }));
    expect(bridge.api.saveSettings).toHaveBeenCalledWith({ persistWeakSecrets: true });
    // The status is read again, so the banner follows what main now says.
    expect(bridge.api.getStatus.mock.calls.length).toBeGreaterThan(1);
  });

  it('when opted in, says anyone who can read the files can use the accounts', async () => {
    await renderApp(
      withSecrets({
        persistent: true,
        weak: true,
        weakStorageOptIn: true,
        protection: 'basic_text',
      }),
    );
    const banner = screen.getByRole('region', { name: 'Secrets warning' });
    expect(banner.textContent).toContain('anyone who can read your files');
    expect(
      within(banner).getByRole('button', { name: 'Keep secrets in memory only' }),
    ).toBeTruthy();
  });

  it('offers no “store anyway” where the system cannot encrypt at all', async () => {
    const bridge = withSecrets({
      persistent: false,
      weak: true,
      weakStorageAvailable: false,
      protection: 'unknown',
    });
    const user = userEvent.setup();
    await renderApp(bridge);
    const banner = screen.getByRole('region', { name: 'Secrets warning' });
    expect(banner.textContent).toContain('every account needs connecting again');
    expect(within(banner).queryByRole('button', { name: /Store on disk anyway/ })).toBeNull();
    expect(banner.textContent).not.toMatch(/on disk anyway/i);
    expect(banner.textContent).toContain('No keyring is available');

    // Settings says the same, instead of a checkbox that would change nothing.
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    expect(
      within(dialog).queryByLabelText('Store secrets on disk even without a keyring'),
    ).toBeNull();
    expect(dialog.textContent).toContain('cannot encrypt');
  });

  it('after opting in, says what main reports: still in memory when nothing changed', async () => {
    const inMemory: AppStatus = {
      storage: {},
      secrets: {
        ...SECURE_STATUS.secrets,
        persistent: false,
        weak: true,
        protection: 'basic_text',
      },
    };
    const bridge = fakeBridge({ providers: [makeProvider()], status: inMemory });
    bridge.api.saveSettings.mockImplementation(() =>
      ok({ ...DEFAULT_SETTINGS, persistWeakSecrets: true }),
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    // Main reads the choice but still keeps the secrets in memory (the opt-in did not take).
    bridge.api.getStatus.mockImplementation(() =>
      ok({ ...inMemory, secrets: { ...inMemory.secrets, weakStorageOptIn: true } }),
    );
    const banner = screen.getByRole('region', { name: 'Secrets warning' });
    await user.click(within(banner).getByRole('button', { name: 'Store on disk anyway…' }));
    const dialog = screen.getByRole('dialog', { name: 'Store secrets on disk anyway?' });
    await user.click(within(dialog).getByRole('button', { name: 'Store on disk anyway' }));
    const toast = screen.getByTestId('toast');
    await waitFor(() => expect(toast.textContent).toContain('still kept in memory only'));
    expect(toast.textContent).not.toContain('now stored on disk');
  });

  it('after opting in, says the secrets are on disk once main reports them there', async () => {
    const inMemory: AppStatus = {
      storage: {},
      secrets: {
        ...SECURE_STATUS.secrets,
        persistent: false,
        weak: true,
        protection: 'basic_text',
      },
    };
    const bridge = fakeBridge({ providers: [makeProvider()], status: inMemory });
    bridge.api.saveSettings.mockImplementation(() =>
      ok({ ...DEFAULT_SETTINGS, persistWeakSecrets: true }),
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    bridge.api.getStatus.mockImplementation(() =>
      ok({
        ...inMemory,
        secrets: { ...inMemory.secrets, persistent: true, weakStorageOptIn: true },
      }),
    );
    const banner = screen.getByRole('region', { name: 'Secrets warning' });
    await user.click(within(banner).getByRole('button', { name: 'Store on disk anyway…' }));
    const dialog = screen.getByRole('dialog', { name: 'Store secrets on disk anyway?' });
    await user.click(within(dialog).getByRole('button', { name: 'Store on disk anyway' }));
    await waitFor(() =>
      expect(screen.getByTestId('toast').textContent).toBe(
        'Secrets are now stored on disk without real protection.',
      ),
    );
  });

  it('when storing on disk stops being possible while its dialog is open, says so and focuses Close', async () => {
    const inMemory: SecretsStatus = {
      ...SECURE_STATUS.secrets,
      persistent: false,
      weak: true,
      protection: 'basic_text',
    };
    let secrets = inMemory;
    const bridge = fakeBridge(
      { providers: [makeProvider()] },
      { getStatus: () => ok({ storage: {}, secrets }) },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    const banner = screen.getByRole('region', { name: 'Secrets warning' });
    within(banner).getByRole('button', { name: 'Store on disk anyway…' }).focus();
    await user.keyboard('{Enter}');
    const offer = screen.getByRole('dialog', { name: 'Store secrets on disk anyway?' });
    expect(document.activeElement).toBe(within(offer).getByRole('button', { name: 'Cancel' }));

    // Main now says the system cannot encrypt at all (read again after a pushed list).
    secrets = { ...inMemory, protection: 'unknown', weakStorageAvailable: false };
    await bridge.emit('accountsChanged', []);
    await waitFor(() =>
      expect(screen.getByRole('dialog', { name: 'Secrets cannot be stored on disk' })).toBeTruthy(),
    );
    const dialog = screen.getByRole('dialog', { name: 'Secrets cannot be stored on disk' });
    expect(dialog.textContent).toContain('cannot encrypt secrets at all');
    expect(within(dialog).queryByRole('button', { name: 'Store on disk anyway' })).toBeNull();
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);

    // The banner's button went with the offer: Close gives the focus to the Accounts heading.
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bridge.api.saveSettings).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Accounts' }));
  });

  it('explains a keyring change', async () => {
    await renderApp(
      withSecrets({
        previousProtection: 'gnome_libsecret',
        protection: 'basic_text',
        weak: true,
        persistent: false,
      }),
    );
    const banner = screen.getByRole('region', { name: 'Secrets warning' });
    expect(banner.textContent).toContain('the GNOME keyring');
    expect(banner.textContent).toContain('brings them back');
  });

  it('shows the storage notices', async () => {
    await renderApp(
      withSecrets(
        {},
        {
          recoveredFrom: {
            movedTo: '/home/u/.config/Tokendesk/config.json.corrupt-1',
            reason: 'not JSON',
          },
          unsavedSince: Date.UTC(2026, 0, 1),
        },
      ),
    );
    const notice = screen.getByRole('region', { name: 'Storage warning' });
    expect(notice.textContent).toContain('config.json.corrupt-1');
    expect(notice.textContent).toContain('not JSON');
    expect(notice.textContent).toContain('lost if Tokendesk quits');
  });
});

describe('settings', () => {
  it('agree with the contract’s clipboard limits', () => {
    expect(CLIPBOARD_CLEAR_SECONDS).toEqual(LIMITS.clipboardClearSeconds);
  });

  it('sets the clipboard clear delay, and shows main’s refusal beside the field', async () => {
    const bridge = fakeBridge({ providers: [makeProvider()] });
    bridge.api.saveSettings
      .mockImplementationOnce(() =>
        fail(
          errorOf('invalidField', {
            validationDetail: [
              { field: 'clipboardClearSeconds', expression: 'max', reason: 'must be at most 3600' },
            ],
          }),
        ),
      )
      .mockImplementationOnce(() => ok({ ...DEFAULT_SETTINGS, clipboardClearSeconds: 45 }));
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    await user.click(within(dialog).getByLabelText('Clear the clipboard after copying a token'));
    const seconds = within(dialog).getByLabelText('Seconds until it is cleared');
    await user.clear(seconds);
    await user.type(seconds, '9000');
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(bridge.api.saveSettings).toHaveBeenCalledWith({
      clipboardClearSeconds: 9000,
      persistWeakSecrets: false,
    });
    expect(seconds.getAttribute('aria-invalid')).toBe('true');
    // The error comes first in the description, before the field's hint.
    const [errorId, hintId] = seconds.getAttribute('aria-describedby')!.split(' ');
    expect(document.getElementById(errorId!)?.textContent).toBe('Must be at most 3600.');
    expect(document.getElementById(hintId!)?.textContent).toContain('From 5 to 3600');
    expect(document.activeElement).toBe(seconds);

    await user.clear(seconds);
    await user.type(seconds, '45');
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(bridge.api.saveSettings).toHaveBeenLastCalledWith({
      clipboardClearSeconds: 45,
      persistWeakSecrets: false,
    });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says a refused delay in words: whole seconds within the limits', async () => {
    const bridge = fakeBridge({ providers: [makeProvider()] });
    bridge.api.saveSettings.mockImplementation(() =>
      fail(
        errorOf('invalidField', {
          validationDetail: [
            {
              field: 'clipboardClearSeconds',
              expression: 'type',
              argument: 'int',
              originalValue: 7.5,
              reason: 'must be int, not number',
            },
          ],
        }),
      ),
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    await user.click(within(dialog).getByLabelText('Clear the clipboard after copying a token'));
    const seconds = within(dialog).getByLabelText('Seconds until it is cleared');
    await user.clear(seconds);
    await user.type(seconds, '7.5');
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(bridge.api.saveSettings).toHaveBeenCalledWith({
      clipboardClearSeconds: 7.5,
      persistWeakSecrets: false,
    });
    const errorId = seconds.getAttribute('aria-describedby')!.split(' ')[0]!;
    const { min, max } = LIMITS.clipboardClearSeconds;
    expect(document.getElementById(errorId)?.textContent).toBe(
      `Whole seconds, from ${min} to ${max}.`,
    );
    expect(dialog.textContent).not.toMatch(/\bint\b/);
    expect(document.activeElement).toBe(seconds);
  });

  it('turning the clear off sends null', async () => {
    const bridge = fakeBridge({
      settings: { ...DEFAULT_SETTINGS, clipboardClearSeconds: 30 },
    });
    bridge.api.saveSettings.mockImplementation(() => ok(DEFAULT_SETTINGS));
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    await user.click(within(dialog).getByLabelText('Clear the clipboard after copying a token'));
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(bridge.api.saveSettings).toHaveBeenCalledWith({
      clipboardClearSeconds: null,
      persistWeakSecrets: false,
    });
  });
});

describe('outside the app', () => {
  it('still renders its heading and says what is missing', () => {
    render(<App bridge={undefined} />);
    expect(screen.getByRole('heading', { name: 'Tokendesk' })).toBeTruthy();
    expect(document.body.textContent).toContain('needs the app’s bridge');
  });
});
