/**
 * What the consent-mode specs do besides the happy path: refuse on the provider's page, close
 * the consent window as a user does, and look at what the app showed and stored.
 */
import { readFileSync } from 'node:fs';
import { expect, type ElectronApplication, type Page } from '@playwright/test';
import type { Profile } from './electron-harness';

/** oidc-provider's "[ Cancel ]" link, on its login and consent pages: ends in access_denied. */
export const cancelOnProviderPage = (page: Page): Promise<void> =>
  page.locator('.login-help a[href$="/abort"]').click();

/** The consent page oidc-provider shows after a sign-in. */
export const consentPrompt = (page: Page) =>
  page.locator('form:has(> input[name="prompt"][value="consent"])');

/**
 * Closes the Electron window showing `page` with BrowserWindow.close(), which Electron documents
 * as the same as the user clicking the window's close button: it emits 'close', then 'closed'.
 * Playwright's page.close() destroys the contents instead, and the window never sees 'close'
 * (checked on the pinned runtime), so it is not what a user does.
 */
export const closeWindowAsUser = async (app: ElectronApplication, page: Page): Promise<void> => {
  const shown = page.url();
  const matching = await app.evaluate(({ BrowserWindow }, url) => {
    const windows = BrowserWindow.getAllWindows().filter((w) => w.webContents.getURL() === url);
    if (windows.length === 1) windows[0]?.close();
    return windows.length;
  }, shown);
  expect(matching, `one window shows ${shown}`).toBe(1);
  await expect.poll(() => page.isClosed()).toBe(true);
};

/**
 * Keeps every message the app's toast region shows from now on. A toast goes away after a few
 * seconds; the record does not, so a busy machine cannot make the spec miss it.
 */
export const recordToasts = async (window: Page): Promise<() => Promise<string[]>> => {
  await window.evaluate(() => {
    // Runs in the page; the test's tsconfig has no DOM types, so the few used are named here.
    interface Node {
      readonly textContent: string | null;
    }
    const page = globalThis as unknown as {
      document: { querySelector(selector: string): Node | null };
      MutationObserver: new (callback: () => void) => {
        observe(target: Node, options: Record<string, boolean>): void;
      };
      tokendeskToasts?: string[];
    };
    const region = page.document.querySelector('[data-testid="toast"]');
    if (!region) throw new Error('the app has no toast region');
    const seen: string[] = [];
    page.tokendeskToasts = seen;
    new page.MutationObserver(() => {
      const text = region.textContent?.trim();
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(region, { childList: true, subtree: true, characterData: true });
  });
  return () =>
    window.evaluate(
      () => (globalThis as unknown as { tokendeskToasts?: string[] }).tokendeskToasts ?? [],
    );
};

interface StoreFile {
  readonly providers: Record<string, { readonly label: string; readonly consentMode: string }>;
  readonly accounts: Record<string, { readonly email?: string }>;
  readonly secrets: Record<string, string>;
}

/** The profile's store file as the app left it on disk. */
export const readStoreFile = (profile: Profile): StoreFile =>
  JSON.parse(readFileSync(profile.storeFile, 'utf8')) as StoreFile;

/**
 * Asserts the store file holds the provider (so it is the file the app writes) and no account,
 * nor any account secret.
 */
export const expectNoAccountStored = (profile: Profile): void => {
  const stored = readStoreFile(profile);
  expect(Object.values(stored.providers).map((p) => p.label)).toEqual(['Local IdP']);
  expect(stored.accounts).toEqual({});
  expect(Object.keys(stored.secrets).filter((key) => key.startsWith('account:'))).toEqual([]);
};
