/**
 * The packaged app started as a user starts it — its own executable, production fuses, app.asar,
 * no Playwright loader — shows its window with Tokendesk in it. Specs of the unpackaged app
 * (tests/e2e/electron/) cannot see what only packaging changes: the archive paths main resolves
 * its preload and the renderer's folder against, the page's module script and stylesheet served
 * out of app.asar on the app's own scheme with GrantFileProtocolExtraPrivileges off (a page the
 * window loaded from file: would stay blank with that fuse off), and Electron's packaged mode
 * (app.isPackaged).
 */
import { listPackage } from '@electron/asar';
import { expect, test } from '@playwright/test';
import { APP_PAGE_URL } from '../../../main/shell/app-url';
import { ENV } from '../support/electron/harness-env';
import { launchPackaged } from '../support/packaged/launch-packaged';
import { requirePackagedApp } from '../support/packaged/run-package';

const spec = 'packaged-window.spec';

test('the packaged app opens its window from app.asar and shows Tokendesk', async () => {
  const packaged = requirePackagedApp({ spec, launches: true });
  // The keyring where the run has one (what a user has), so the window shows its usual state.
  const keyring = process.env[ENV.noKeyring] === undefined;
  const launched = await launchPackaged({ executable: packaged.executable, keyring });
  try {
    const { page } = launched;
    // The page is the app's own, on its scheme (not file:, not a default app).
    expect(page.url()).toBe(APP_PAGE_URL);
    // launchPackaged answered once the window had a painted frame on screen, after the start.
    expect(launched.firstPaintAt).toBeGreaterThan(launched.app.spawnedAt);

    await expect(page).toHaveTitle('Tokendesk');
    await expect(page.getByRole('heading', { name: /Tokendesk/ }).first()).toBeVisible();
    // The sandboxed preload ran from the archive: the bridge is in the page.
    expect(
      await page.evaluate(() => typeof (globalThis as { tokendesk?: unknown }).tokendesk),
    ).toBe('object');
    // The stylesheet (a crossorigin <link>) loaded, and applies: one of the archive's files, the
    // only place it can come from (the package holds no out/ folder beside app.asar).
    const styles = await page.evaluate(() => {
      // Runs in the page; the tests' tsconfig has no DOM types, so the few used are named here.
      interface Sheet {
        readonly href: string | null;
        readonly cssRules: { readonly length: number };
      }
      const { document } = globalThis as unknown as { document: { styleSheets: Iterable<Sheet> } };
      return [...document.styleSheets].map((sheet) => ({
        href: sheet.href ?? '',
        rules: sheet.cssRules.length,
      }));
    });
    const packed = listPackage(packaged.archive, { isPack: false }).map((file) =>
      file.replace(/\\/g, '/'),
    );
    const served = (href: string): string => href.replace(/^tokendesk:\/\/app\//, '/out/renderer/');
    expect(styles.length).toBeGreaterThan(0);
    for (const sheet of styles) {
      expect(sheet.href, 'a stylesheet of the app’s scheme').toMatch(
        /^tokendesk:\/\/app\/.+\.css$/,
      );
      expect(packed, sheet.href).toContain(served(sheet.href));
      expect(sheet.rules, sheet.href).toBeGreaterThan(0);
    }

    await test.info().attach('packaged-window.png', {
      body: await page.screenshot(),
      contentType: 'image/png',
    });
  } finally {
    await launched.close();
  }
});
