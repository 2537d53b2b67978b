/**
 * The packaged app started as a user starts it — its own executable, production fuses, app.asar,
 * no Playwright loader — shows its window with Tokendesk in it. Specs of the unpackaged app
 * (tests/e2e/electron/) cannot see what only packaging changes: the archive paths main resolves
 * its preload and page against, the file: page's module script and stylesheet inside app.asar,
 * and Electron's packaged mode (app.isPackaged).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
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
    // The page came out of the package's archive, not out/ and not a default app.
    expect(page.url()).toBe(pathToFileURL(join(packaged.archive, 'out/renderer/index.html')).href);
    // launchPackaged answered once the window had a painted frame on screen, after the start.
    expect(launched.firstPaintAt).toBeGreaterThan(launched.app.spawnedAt);

    await expect(page).toHaveTitle('Tokendesk');
    await expect(page.getByRole('heading', { name: /Tokendesk/ }).first()).toBeVisible();
    // The sandboxed preload ran from the archive: the bridge is in the page.
    expect(
      await page.evaluate(() => typeof (globalThis as { tokendesk?: unknown }).tokendesk),
    ).toBe('object');
    // The stylesheet loaded from the archive (a crossorigin <link> on a file: page) and applies.
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
    expect(styles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          href: expect.stringMatching(/app\.asar\/out\/renderer\/.+\.css$/),
        }),
      ]),
    );
    expect(styles.every((sheet) => sheet.rules > 0)).toBe(true);

    await test.info().attach('packaged-window.png', {
      body: await page.screenshot(),
      contentType: 'image/png',
    });
  } finally {
    await launched.close();
  }
});
