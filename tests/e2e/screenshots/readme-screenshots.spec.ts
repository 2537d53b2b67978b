/**
 * `npm run screenshots`: the README's pictures, of the real app window in Electron (not the
 * renderer in a browser), light and dark, against the local oidc-provider, and the packaged
 * app's window (electron-builder's directory build, production fuses). Not part of
 * `npm test`, which must not rewrite tracked files; run it after a change to what these screens
 * show, and commit docs/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { OidcServer } from '../../support/oidc-server';
import { connectEmbedded } from '../support/electron/app-actions';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
} from '../support/electron/electron-harness';
import { fillLocalProvider, startLocalIdp } from '../support/local-idp';
import { launchPackaged } from '../support/packaged/launch-packaged';
import { packTokendesk } from '../support/packaged/pack-tokendesk';

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const spec = 'readme-screenshots.spec';

type Theme = 'light' | 'dark';

/** The DOM this spec touches in the page (the Node tsconfig has no DOM types). */
interface ScrollableElement {
  scrollTop: number;
  querySelectorAll(selector: string): Iterable<ScrollableElement>;
}
const prefersDark = (): boolean =>
  (globalThis as unknown as { matchMedia(query: string): { matches: boolean } }).matchMedia(
    '(prefers-color-scheme: dark)',
  ).matches;

/** The window's page in the given theme, as the system setting would make it. */
const shoot = async (
  app: ElectronApplication,
  window: Page,
  name: string,
  themes: readonly Theme[],
) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const theme of themes) {
    await app.evaluate(({ nativeTheme }, source) => {
      nativeTheme.themeSource = source;
    }, theme);
    await expect.poll(() => window.evaluate(prefersDark)).toBe(theme === 'dark');
    const file = theme === 'light' ? `${name}.png` : `${name}-dark.png`;
    await window.screenshot({
      path: `${SCREENSHOTS}${file}`,
      animations: 'disabled',
      caret: 'hide',
    });
  }
  await app.evaluate(({ nativeTheme }) => {
    nativeTheme.themeSource = 'system';
  });
};

let oidc: OidcServer | undefined;
test.afterAll(async () => {
  await oidc?.stop();
});

test('the README screenshots, from the real app window', async () => {
  test.setTimeout(180_000);
  const runtime = requireElectron({ spec, keyring: true });
  oidc = await startLocalIdp(3600);
  const profile = createProfile();
  const { app, window, close } = await launchTokendesk({ runtime, profile });
  try {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.setSize(1100, 760));
    await expect(window.getByRole('heading', { name: 'Welcome to Tokendesk' })).toBeVisible();
    await shoot(app, window, 'empty-state', ['light', 'dark']);

    await window.getByRole('button', { name: 'Add a provider' }).click();
    await fillLocalProvider(window, oidc.issuer);
    const form = window.getByRole('dialog', { name: 'Add provider' });
    // Typing scrolled the dialog down to the secret: the picture starts at its title.
    await form.evaluate((dialog: ScrollableElement) => {
      for (const element of [dialog, ...dialog.querySelectorAll('*')]) element.scrollTop = 0;
    });
    await shoot(app, window, 'provider-form', ['light', 'dark']);
    await form.getByRole('button', { name: 'Save provider' }).click();
    await expect(form).toBeHidden();
    // "Connected …" and "Saved …" confirmations fade after a few seconds; no picture shows one.
    const toast = window.getByTestId('toast');
    await expect(toast).toBeEmpty({ timeout: 15_000 });

    // A refused sign-in: the user clicks Cancel on the provider's page.
    const consentOpened = app.waitForEvent('window');
    await window.getByRole('button', { name: 'Connect Local IdP' }).click();
    const consent = await consentOpened;
    await consent.locator('.login-help a[href$="/abort"]').click();
    const refused = window.getByRole('alert').filter({ hasText: /denied/i });
    await expect(refused).toBeVisible({ timeout: 30_000 });
    await shoot(app, window, 'error', ['light', 'dark']);
    await refused.getByRole('button', { name: /Dismiss/ }).click();

    await connectEmbedded(app, window, 'alice');
    await connectEmbedded(app, window, 'bob');
    await expect(toast).toBeEmpty({ timeout: 15_000 });
    await shoot(app, window, 'accounts', ['light', 'dark']);
  } finally {
    await close();
    profile.remove();
  }
});

test('the packaged app’s window, as electron-builder lays it out', async () => {
  test.setTimeout(180_000);
  const runtime = requireElectron({ spec, keyring: true });
  const workDir = mkdtempSync(join(tmpdir(), 'tokendesk-screenshot-pack-'));
  try {
    const packaged = await packTokendesk({ runtime, workDir });
    const app = await launchPackaged({ executable: packaged.executable });
    try {
      await expect(app.page.getByRole('heading', { name: 'Welcome to Tokendesk' })).toBeVisible();
      await app.page.screenshot({ path: `${SCREENSHOTS}packaged-app.png`, animations: 'disabled' });
    } finally {
      await app.close();
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
});
