/**
 * What a user does in the real app window, for the real-Electron specs: add the local
 * oidc-provider as a custom OpenID Connect provider, and connect an account through the app's
 * embedded consent window (a second Electron window) on oidc-provider's own login and consent
 * pages.
 */
import { expect, type ElectronApplication, type Locator, type Page } from '@playwright/test';
import { fillLocalProvider } from '../local-idp';

export type ConsentMode = 'Embedded window' | 'System browser';

/** Adds "Local IdP" (tests/e2e/support/local-idp.ts) through the Add provider dialog. */
export const addLocalProvider = async (
  window: Page,
  issuer: string,
  consent: ConsentMode = 'Embedded window',
): Promise<void> => {
  const add = window.getByRole('button', { name: /^Add (a )?provider$/ }).first();
  await add.click();
  await fillLocalProvider(window, issuer);
  const form = window.getByRole('dialog', { name: 'Add provider' });
  await form.getByRole('radio', { name: consent }).check();
  await form.getByRole('button', { name: 'Save provider' }).click();
  await expect(form).toBeHidden();
};

/** Signs in as `login` on oidc-provider's login page in `page` (its consent page comes next). */
export const signIn = async (page: Page, login: string): Promise<void> => {
  const loginForm = page.locator('form:has(> input[name="prompt"][value="login"])');
  await loginForm.locator('input[name="login"]').fill(login);
  await loginForm.locator('input[name="password"]').fill('any-password');
  await loginForm.locator('button[type="submit"]').click();
};

/** Signs in as `login` on oidc-provider's pages in `page` and approves the consent. */
export const signInAndApprove = async (page: Page, login: string): Promise<void> => {
  await signIn(page, login);
  await page
    .locator('form:has(> input[name="prompt"][value="consent"]) button[type="submit"]')
    .click();
};

/** The account row of `email` in the app window. */
export const accountRow = (window: Page, email: string): Locator =>
  window.getByRole('listitem').filter({ hasText: email });

/**
 * Clicks Connect on Local IdP, signs in as `login` in the consent window that opens, and waits
 * for the account row (oidc-provider's test accounts are `<login>@example.test`).
 */
export const connectEmbedded = async (
  app: ElectronApplication,
  window: Page,
  login: string,
): Promise<Locator> => {
  const consentOpened = app.waitForEvent('window');
  await window.getByRole('button', { name: 'Connect Local IdP' }).click();
  const consent = await consentOpened;
  await signInAndApprove(consent, login);
  const row = accountRow(window, `${login}@example.test`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => consent.isClosed()).toBe(true);
  return row;
};
