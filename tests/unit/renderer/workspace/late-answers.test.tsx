// @vitest-environment happy-dom
/**
 * A dialog closed (Escape) while main still works on what it asked: the answer arrives later,
 * when the user may have opened another dialog and typed into it. The answer is still reported
 * (a toast, a fresh list), but it closes nothing but the dialog that asked.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf, type Result } from '../../../../shared/errors';
import type { ChannelAnswers } from '../../../../shared/ipc-contract';
import {
  actAndSettle,
  DEFAULT_SETTINGS,
  fakeBridge,
  makeProvider,
  NOW,
  type FakeBridge,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const provider = makeProvider();

/** A call whose answer the test gives when it wants. */
const later = <T,>() => {
  let answer!: (result: Result<T>) => void;
  const call = () => new Promise<Result<T>>((resolve) => (answer = resolve));
  return { call, answer: (result: Result<T>) => actAndSettle(() => answer(result)) };
};

const pressEscape = (dialog: HTMLElement) =>
  actAndSettle(() => dialog.dispatchEvent(new Event('cancel', { cancelable: true })));

/** Opens the Add form and types into it: what a late answer must not throw away. */
const startTypingInAddForm = async (user: ReturnType<typeof userEvent.setup>) => {
  await user.click(screen.getByRole('button', { name: 'Add provider' }));
  const add = screen.getByRole('dialog', { name: 'Add provider' });
  await user.type(within(add).getByLabelText('Client ID'), 'typed by hand');
  return add;
};

const expectStillTyping = (add: HTMLElement) => {
  expect(screen.getByRole('dialog', { name: 'Add provider' })).toBe(add);
  expect(within(add).getByLabelText<HTMLInputElement>('Client ID').value).toBe('typed by hand');
};

const listCalls = (bridge: FakeBridge) => bridge.api.listProviders.mock.calls.length;

describe('an answer that arrives after its dialog was closed', () => {
  it('a saved provider is announced and listed, and the Add form opened since stays', async () => {
    const save = later<ChannelAnswers['saveProvider']>();
    const bridge = fakeBridge({ providers: [provider] }, { saveProvider: save.call });
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Edit Local IdP' }));
    const edit = screen.getByRole('dialog', { name: 'Edit Local IdP' });
    await user.click(within(edit).getByRole('button', { name: 'Save provider' }));
    await pressEscape(edit);
    expect(screen.queryByRole('dialog')).toBeNull();

    const add = await startTypingInAddForm(user);
    const before = listCalls(bridge);
    await save.answer({ ok: true, value: provider });
    expectStillTyping(add);
    expect(screen.getByTestId('toast').textContent).toBe('Saved Local IdP.');
    expect(listCalls(bridge)).toBeGreaterThan(before);
  });

  it('a refused save is announced, and the Add form opened since stays', async () => {
    const save = later<ChannelAnswers['saveProvider']>();
    const bridge = fakeBridge({ providers: [provider] }, { saveProvider: save.call });
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Edit Local IdP' }));
    const edit = screen.getByRole('dialog', { name: 'Edit Local IdP' });
    await user.click(within(edit).getByRole('button', { name: 'Save provider' }));
    await pressEscape(edit);

    const add = await startTypingInAddForm(user);
    await save.answer({ ok: false, error: errorOf('storageWriteFailed') });
    expectStillTyping(add);
    expect(screen.getByTestId('toast').textContent).toBe(
      'Local IdP was not saved: The change could not be saved.',
    );
  });

  it('a deleted provider is announced, and the Add form opened since stays', async () => {
    const remove = later<ChannelAnswers['deleteProvider']>();
    const bridge = fakeBridge({ providers: [provider] }, { deleteProvider: remove.call });
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Delete Local IdP' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete Local IdP?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await pressEscape(confirm);

    const add = await startTypingInAddForm(user);
    const before = listCalls(bridge);
    await remove.answer({ ok: true, value: { providerId: provider.id, deleted: true } });
    expectStillTyping(add);
    expect(screen.getByTestId('toast').textContent).toBe('Deleted Local IdP.');
    expect(listCalls(bridge)).toBeGreaterThan(before);
  });

  it('saved settings are announced and applied, and the Add form opened since stays', async () => {
    const save = later<ChannelAnswers['saveSettings']>();
    const bridge = fakeBridge({ providers: [provider] }, { saveSettings: save.call });
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const settings = screen.getByRole('dialog', { name: 'Settings' });
    await user.click(within(settings).getByRole('button', { name: 'Save settings' }));
    await pressEscape(settings);

    const add = await startTypingInAddForm(user);
    await save.answer({
      ok: true,
      value: { ...DEFAULT_SETTINGS, clipboardClearSeconds: 45 },
    });
    expectStillTyping(add);
    expect(screen.getByTestId('toast').textContent).toBe('Settings saved.');

    // What main saved is what Settings shows next time.
    await user.click(within(add).getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const reopened = screen.getByRole('dialog', { name: 'Settings' });
    expect(
      within(reopened).getByLabelText<HTMLInputElement>('Seconds until it is cleared').value,
    ).toBe('45');
  });

  it('an answer while its own dialog is still open closes that dialog as before', async () => {
    const save = later<ChannelAnswers['saveProvider']>();
    const bridge = fakeBridge({ providers: [provider] }, { saveProvider: save.call });
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Edit Local IdP' }));
    const edit = screen.getByRole('dialog', { name: 'Edit Local IdP' });
    await user.click(within(edit).getByRole('button', { name: 'Save provider' }));
    await save.answer({ ok: true, value: provider });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('toast').textContent).toBe('Saved Local IdP.');
  });
});
