/**
 * Real Electron: what the embedded consent window refuses, whatever the page in it asks for. The
 * sign-in page is a stand-in provider's (tests/e2e/support/electron/consent-test-pages.ts) on
 * loopback http, which the window may show; from there it tries what a compromised or careless
 * provider page could: go on to plain http on another host (a link, a server redirect), start a
 * download, and rename the window. A discovery document can also name a sign-in page on plain
 * http elsewhere, which the user never typed.
 */
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { addLocalProvider } from '../support/electron/app-actions';
import {
  LATER_TITLE,
  otherIpv4,
  PAGE_TITLE,
  startConsentTestPages,
  type ConsentTestPages,
} from '../support/electron/consent-test-pages';
import { requireThat, withTokendesk } from '../support/electron/electron-harness';
import { noXTools, viewableStack } from '../support/electron/x-windows';

const spec = 'consent-window.spec';

let pages: ConsentTestPages | undefined;
test.beforeAll(async () => {
  const address = otherIpv4();
  if (address !== undefined) pages = await startConsentTestPages(address);
});
test.afterAll(async () => {
  await pages?.stop();
});

/** The stand-in provider; skips (or fails in CI) where it cannot show "elsewhere". */
const testPages = (): ConsentTestPages => {
  requireThat(
    pages === undefined
      ? 'this machine has no non-loopback IPv4 address to stand for plain http on another host'
      : undefined,
    spec,
  );
  return pages!;
};

/** Adds the provider of `issuer` (embedded window), clicks Connect, answers the consent window. */
const openConsent = async (app: ElectronApplication, window: Page, issuer: string) => {
  await addLocalProvider(window, issuer);
  const opened = app.waitForEvent('window');
  await window.getByRole('button', { name: 'Connect Local IdP' }).click();
  const consent = await opened;
  await consent.waitForLoadState('domcontentloaded');
  return consent;
};

/** The consent window's native title, and the page's title as the browser process knows it. */
const titles = (app: ElectronApplication, origin: string) =>
  app.evaluate(({ BrowserWindow }, origin) => {
    const shown = BrowserWindow.getAllWindows().find((w) =>
      w.webContents.getURL().startsWith(origin),
    );
    return shown ? { window: shown.getTitle(), page: shown.webContents.getTitle() } : undefined;
  }, origin);

/** The app's alert for a failed sign-in with Local IdP. */
const signInAlert = (window: Page) =>
  window.getByRole('alert').filter({ hasText: 'Could not connect Local IdP' });

test('a sign-in page cannot change what the consent window says it is', async () => {
  const { origin } = testPages();
  await withTokendesk({ spec }, async ({ app, window }) => {
    const consent = await openConsent(app, window, testPages().listedIssuer);

    // Once the browser process has the page's <title>, the window has had its chance to take it.
    await expect.poll(async () => (await titles(app, origin))?.page).toBe(PAGE_TITLE);
    const first = await titles(app, origin);
    expect(first?.window).toMatch(/^Sign in\b.* — Tokendesk$/);
    // It names the host of the page shown, as an address bar would.
    expect(first?.window).toContain(new URL(origin).host);

    await consent.locator('#retitle').click();
    await expect.poll(async () => (await titles(app, origin))?.page).toBe(LATER_TITLE);
    expect((await titles(app, origin))?.window).toBe(first?.window);
  });
});

for (const [link, how] of [
  ['leave', 'a link'],
  ['bounce', 'a server redirect'],
] as const) {
  test(`a sign-in page cannot take the window to plain http on another host (${how})`, async () => {
    const { elsewhere, requestsElsewhere } = testPages();
    await withTokendesk({ spec }, async ({ app, window }) => {
      const consent = await openConsent(app, window, testPages().listedIssuer);

      await consent.locator(`#${link}`).click();

      // The sign-in stops, and the user is told where the page tried to go.
      await expect(signInAlert(window)).toContainText(elsewhere, { timeout: 30_000 });
      await expect.poll(() => consent.isClosed()).toBe(true);
      await expect(window.getByRole('button', { name: 'Connect Local IdP' })).toBeEnabled();
      // Nothing was asked of the other host.
      expect(requestsElsewhere()).toEqual([]);
    });
  });
}

test('a discovered sign-in page on plain http elsewhere is never loaded', async () => {
  const { requestsElsewhere, requests } = testPages();
  await withTokendesk({ spec }, async ({ app, window }) => {
    await addLocalProvider(window, testPages().elsewhereIssuer);
    const before = requests().length;

    await window.getByRole('button', { name: 'Connect Local IdP' }).click();

    // Refused, whichever layer refuses it (the discovered endpoint, or the window's own check).
    await expect(signInAlert(window)).toBeVisible({ timeout: 30_000 });
    expect(requests().length).toBeGreaterThan(before);
    expect(requestsElsewhere()).toEqual([]);
    await expect.poll(() => app.windows().length).toBe(1);
  });
});

test('a sign-in page cannot download a file; the sign-in goes on', async () => {
  const { origin } = testPages();
  requireThat(noXTools(), spec);
  await withTokendesk({ spec }, async ({ app, window, output }) => {
    const consent = await openConsent(app, window, testPages().listedIssuer);
    // The consent window is on screen, under its final title, before the stack is read: a window
    // mapped or retitled after this reading would count as one the download opened.
    const host = new URL(origin).host;
    await expect
      .poll(() => viewableStack().some((title) => /^Sign in\b/.test(title) && title.includes(host)))
      .toBe(true);
    const windowsBefore = viewableStack();

    await consent.locator('#download').click();

    // Refused (main says so in its log), or a save dialog opened: whichever comes first.
    const outcome = () => {
      if (output().includes('consent window refused a download')) return 'refused';
      const added = viewableStack().filter((title) => !windowsBefore.includes(title));
      return added.length > 0 ? `a new window: ${added.join(', ')}` : 'waiting';
    };
    await expect.poll(outcome, { timeout: 30_000 }).toBe('refused');
    expect(viewableStack().filter((title) => !windowsBefore.includes(title))).toEqual([]);
    // The sign-in page is still there for the user.
    expect(consent.isClosed()).toBe(false);
    expect(new URL(consent.url()).origin).toBe(origin);
    await expect(consent.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });
});
