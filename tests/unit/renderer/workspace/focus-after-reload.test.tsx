// @vitest-environment happy-dom
/**
 * Where the focus lands when the control that had it goes away with a reload: after deleting a
 * provider, saving the first one, answering the secrets banner, or retrying a failed load. Main
 * answers these reloads after a real round trip (`answerLater`): React commits in between, as in
 * the app, so that a focus given back to a control the next list removes would show.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import type { AppStatus, ProviderConfigView, SecretsStatus } from '../../../../shared/model';
import { PRESETS } from '../../../../shared/providers';
import {
  DEFAULT_SETTINGS,
  fail,
  fakeBridge,
  makeProvider,
  NOW,
  ok,
  RELOADS,
  SECURE_STATUS,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const localIdp = makeProvider();
const workGithub = makeProvider({ id: 'github', presetId: 'github', label: 'Work GitHub' });

/** A bridge whose provider list is what saves and deletes made it, read after a round trip. */
const providersBridge = (initial: readonly ProviderConfigView[]) => {
  let configured = initial;
  return fakeBridge(
    {},
    {
      listProviders: () => ok({ presets: PRESETS, configured }),
      deleteProvider: ({ providerId }) => {
        configured = configured.filter((provider) => provider.id !== providerId);
        return ok({ providerId, deleted: true as const });
      },
      saveProvider: (input) => {
        const saved = makeProvider({
          id: input.id ?? input.presetId,
          presetId: input.presetId,
          label: input.label ?? 'GitHub',
          clientId: input.clientId,
        });
        configured = [...configured, saved];
        return ok(saved);
      },
    },
    { answerLater: 'all' },
  );
};

const focused = () => document.activeElement;

/** What has the focus, in a word: the failure then says "BODY", not the whole page. */
const describeFocus = (element: Element | null = focused()) =>
  element === null || element === document.body
    ? 'BODY'
    : `${element.tagName} ${element.textContent?.trim() ?? ''}`;

const expectFocusOn = (element: HTMLElement) => {
  expect(describeFocus()).toBe(describeFocus(element));
  expect(focused()).toBe(element);
};

describe('the fake bridge’s round trip', () => {
  it('answers a channel given later, not in the same microtask, and whenQuiet waits for it', async () => {
    const bridge = fakeBridge({}, {}, { answerLater: RELOADS });
    await renderApp(bridge);
    bridge.api.getStatus.mockImplementation(() => ok(SECURE_STATUS));
    let answered = false;
    void bridge.api.getStatus().then(() => (answered = true));
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
    expect(answered).toBe(false);
    await bridge.whenQuiet();
    expect(answered).toBe(true);
  });
});

describe('deleting a provider with the keyboard', () => {
  const deleteWithKeyboard = async (label: string) => {
    const user = userEvent.setup();
    screen.getByRole('button', { name: `Delete ${label}` }).focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog', { name: `Delete ${label}?` });
    expectFocusOn(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.tab();
    expectFocusOn(within(dialog).getByRole('button', { name: 'Delete' }));
    await user.keyboard('{Enter}');
  };

  it('leaves the focus on the Accounts heading once the card is gone', async () => {
    const bridge = providersBridge([localIdp, workGithub]);
    await renderApp(bridge);
    await deleteWithKeyboard('Local IdP');
    await bridge.whenQuiet();

    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Local IdP' })).toBeNull();
    expect(screen.getByTestId('toast').textContent).toBe('Deleted Local IdP.');
    expectFocusOn(screen.getByRole('heading', { name: 'Accounts' }));
  });

  it('leaves it on the welcome once the last provider is gone', async () => {
    const bridge = providersBridge([localIdp]);
    await renderApp(bridge);
    await deleteWithKeyboard('Local IdP');
    await bridge.whenQuiet();

    expect(screen.queryByRole('dialog')).toBeNull();
    expectFocusOn(screen.getByRole('heading', { name: 'Welcome to Tokendesk' }));
  });
});

describe('saving the first provider from the welcome', () => {
  it('leaves the focus on the Accounts heading once the welcome is gone', async () => {
    const bridge = providersBridge([]);
    await renderApp(bridge);
    const user = userEvent.setup();
    screen.getByRole('button', { name: 'Add a provider' }).focus();
    await user.keyboard('{Enter}');
    const form = screen.getByRole('dialog', { name: 'Add provider' });
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitHub');
    await user.type(within(form).getByLabelText('Client ID'), 'tokendesk{Enter}');
    await bridge.whenQuiet();

    expect(bridge.api.saveProvider).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Welcome to Tokendesk' })).toBeNull();
    expect(screen.getByRole('region', { name: 'GitHub' })).toBeTruthy();
    expectFocusOn(screen.getByRole('heading', { name: 'Accounts' }));
  });
});

describe('the secrets banner’s choice', () => {
  const IN_MEMORY: SecretsStatus = {
    ...SECURE_STATUS.secrets,
    persistent: false,
    weak: true,
    protection: 'basic_text',
  };
  const ON_DISK: SecretsStatus = { ...IN_MEMORY, persistent: true, weakStorageOptIn: true };

  /** Main's status follows the saved choice: `afterOptIn` is where an opt-in leaves it. */
  const statusBridge = (initial: SecretsStatus, afterOptIn: SecretsStatus) => {
    let secrets = initial;
    return fakeBridge(
      { providers: [localIdp] },
      {
        getStatus: () => ok<AppStatus>({ storage: {}, secrets }),
        saveSettings: (input) => {
          secrets = input.persistWeakSecrets ? afterOptIn : IN_MEMORY;
          return ok({ ...DEFAULT_SETTINGS, persistWeakSecrets: input.persistWeakSecrets ?? false });
        },
      },
      { answerLater: 'all' },
    );
  };

  const banner = () => screen.getByRole('region', { name: 'Secrets warning' });

  it('opting out keeps the focus on the banner’s button, which now offers the opt-in', async () => {
    const bridge = statusBridge(ON_DISK, ON_DISK);
    await renderApp(bridge);
    const user = userEvent.setup();
    within(banner()).getByRole('button', { name: 'Keep secrets in memory only' }).focus();
    await user.keyboard('{Enter}');
    await bridge.whenQuiet();

    expect(bridge.api.saveSettings).toHaveBeenCalledWith({ persistWeakSecrets: false });
    expect(screen.getByTestId('toast').textContent).toBe('Secrets are now kept in memory only.');
    expectFocusOn(within(banner()).getByRole('button', { name: 'Store on disk anyway…' }));
  });

  it('opting in keeps the focus on the banner’s button, which now offers the opt-out', async () => {
    const bridge = statusBridge(IN_MEMORY, ON_DISK);
    await renderApp(bridge);
    const user = userEvent.setup();
    within(banner()).getByRole('button', { name: 'Store on disk anyway…' }).focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog', { name: 'Store secrets on disk anyway?' });
    await user.tab();
    expectFocusOn(within(dialog).getByRole('button', { name: 'Store on disk anyway' }));
    await user.keyboard('{Enter}');
    await bridge.whenQuiet();

    expect(bridge.api.saveSettings).toHaveBeenCalledWith({ persistWeakSecrets: true });
    expectFocusOn(within(banner()).getByRole('button', { name: 'Keep secrets in memory only' }));
  });

  it('an opt-in that changed nothing offers nothing more: the focus goes to the Accounts heading', async () => {
    const bridge = statusBridge(IN_MEMORY, { ...IN_MEMORY, weakStorageOptIn: true });
    await renderApp(bridge);
    const user = userEvent.setup();
    within(banner()).getByRole('button', { name: 'Store on disk anyway…' }).focus();
    await user.keyboard('{Enter}');
    await user.tab();
    await user.keyboard('{Enter}');
    await bridge.whenQuiet();

    expect(screen.getByTestId('toast').textContent).toContain('still kept in memory only');
    expect(within(banner()).queryByRole('button')).toBeNull();
    expectFocusOn(screen.getByRole('heading', { name: 'Accounts' }));
  });
});

describe('Try again after a failed load', () => {
  it('once the accounts arrive, leaves the focus on the Accounts heading', async () => {
    const bridge = fakeBridge(
      { providers: [localIdp] },
      { listAccounts: () => fail(errorOf('internal')) },
      { answerLater: RELOADS },
    );
    await renderApp(bridge);
    expect(screen.getByRole('alert').textContent).toContain('could not load your accounts');
    bridge.api.listAccounts.mockImplementation(() => ok([]));
    const user = userEvent.setup();
    screen.getByRole('button', { name: 'Try again' }).focus();
    await user.keyboard('{Enter}');
    await bridge.whenQuiet();

    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expectFocusOn(screen.getByRole('heading', { name: 'Accounts' }));
  });

  it('while it fails again, keeps the focus on Try again', async () => {
    const bridge = fakeBridge(
      { providers: [localIdp] },
      { listAccounts: () => fail(errorOf('internal')) },
      { answerLater: RELOADS },
    );
    await renderApp(bridge);
    const user = userEvent.setup();
    const retry = screen.getByRole('button', { name: 'Try again' });
    retry.focus();
    await user.keyboard('{Enter}');
    await bridge.whenQuiet();

    expect(bridge.api.listAccounts).toHaveBeenCalledTimes(2);
    expectFocusOn(screen.getByRole('button', { name: 'Try again' }));
  });
});
