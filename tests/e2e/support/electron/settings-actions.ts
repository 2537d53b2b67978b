/**
 * What a user does in the app's Settings dialog, for the real-Electron specs.
 */
import { expect, type Page } from '@playwright/test';

/** Turns on "Clear the clipboard after copying a token" with `seconds`, and saves. */
export const turnOnClipboardClear = async (window: Page, seconds: number): Promise<void> => {
  await window.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = window.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Clear the clipboard after copying a token').check();
  await dialog.getByLabel('Seconds until it is cleared').fill(String(seconds));
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog).toBeHidden();
  await expect(window.getByTestId('toast')).toContainText('Settings saved.');
};
