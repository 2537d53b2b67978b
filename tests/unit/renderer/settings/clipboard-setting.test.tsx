// @vitest-environment happy-dom
/**
 * The clipboard setting in the window: turned back on after "never", it offers main's default
 * delay (90 s), not another number.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, fakeBridge, makeProvider } from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

afterEach(cleanup);

const openSettings = async (clipboardClearSeconds: number | null) => {
  const user = userEvent.setup();
  await renderApp(
    fakeBridge({
      providers: [makeProvider()],
      settings: { ...DEFAULT_SETTINGS, clipboardClearSeconds },
    }),
  );
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  return { user, dialog: screen.getByRole('dialog', { name: 'Settings' }) };
};

const clearBox = (dialog: HTMLElement) =>
  within(dialog).getByLabelText<HTMLInputElement>('Clear the clipboard after copying a token');

it('offers 90 s when clearing is turned back on after "never"', async () => {
  const { user, dialog } = await openSettings(null);
  expect(clearBox(dialog).checked).toBe(false);
  await user.click(clearBox(dialog));
  expect(within(dialog).getByLabelText<HTMLInputElement>(/Seconds until it is cleared/).value).toBe(
    '90',
  );
});
