/**
 * A user's steps in the real app window, for the secrets-at-rest specs: on an account row, copy
 * its token (read back from the system clipboard), refresh it, reconnect it; on a provider, type
 * its client secret again; in Settings, turn clipboard clearing on.
 */
import { expect, type ElectronApplication, type Page } from '@playwright/test';
import { accountRow, signInAndApprove } from './app-actions';

const readClipboard = (app: ElectronApplication): Promise<string> =>
  app.evaluate(({ clipboard }) => clipboard.readText());

/**
 * Clicks Copy on the row of `email` and answers what reached the clipboard. The clipboard is
 * emptied first, so the answer is this copy's token and not one left from before.
 */
export const copyToken = async (
  app: ElectronApplication,
  window: Page,
  email: string,
): Promise<string> => {
  await app.evaluate(({ clipboard }) => clipboard.clear());
  await accountRow(window, email)
    .getByRole('button', { name: `Copy token for ${email}` })
    .click();
  await expect.poll(() => readClipboard(app), { timeout: 15_000 }).not.toBe('');
  return readClipboard(app);
};

/** Clicks the row's Refresh and waits for the app to say it refreshed. */
export const refreshAccount = async (window: Page, email: string): Promise<void> => {
  await accountRow(window, email)
    .getByRole('button', { name: `Refresh ${email}` })
    .click();
  await expect(window.getByTestId('toast')).toContainText(`Refreshed the token for ${email}`, {
    timeout: 30_000,
  });
};

/**
 * Clicks the row's Reconnect, signs in as `login` in the consent window that opens and waits for
 * the app to say the account's tokens are fresh.
 */
export const reconnectAccount = async (
  app: ElectronApplication,
  window: Page,
  email: string,
  login: string,
): Promise<void> => {
  const consentOpened = app.waitForEvent('window');
  await accountRow(window, email)
    .getByRole('button', { name: `Reconnect ${email}` })
    .click();
  const consent = await consentOpened;
  await signInAndApprove(consent, login);
  await expect(window.getByTestId('toast')).toContainText(`Reconnected ${email}`, {
    timeout: 30_000,
  });
  await expect.poll(() => consent.isClosed()).toBe(true);
};

/** Edit `label`, type `secret` as its client secret, save. */
export const enterClientSecret = async (
  window: Page,
  label: string,
  secret: string,
): Promise<void> => {
  await window.getByRole('button', { name: `Edit ${label}` }).click();
  const form = window.getByRole('dialog', { name: `Edit ${label}` });
  await form.getByLabel('Client secret', { exact: true }).fill(secret);
  await form.getByRole('button', { name: 'Save provider' }).click();
  await expect(form).toBeHidden();
};

/** Turns on "Clear the clipboard after copying a token" in Settings, with its default delay. */
export const turnOnClipboardClearing = async (window: Page): Promise<void> => {
  await window.getByRole('button', { name: 'Settings' }).click();
  const dialog = window.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Clear the clipboard after copying a token').check();
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog).toBeHidden();
};
