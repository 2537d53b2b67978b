/**
 * End to end in real Electron: starts the built app (out/main/index.js), checks its window, and
 * connects an account against oidc-provider through the app's own embedded consent window, then
 * copies a token and reads the system clipboard.
 *
 * The Electron binary is downloaded on first use, which the project's build and CI machines
 * cannot do (docs/TESTING.md). This spec never triggers that download: it looks for the binary
 * first and, where it is absent, reports itself as skipped with the reason.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import type { OidcServer } from '../support/oidc-server';
import { fillLocalProvider, startLocalIdp, userinfoStatus } from './support/local-idp';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const mainBundle = join(repoRoot, 'out/main/index.js');

/** Why Electron cannot run here, or undefined when it can. Mirrors node_modules/electron/index.js. */
const electronUnavailableReason = (): string | undefined => {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(override, executable ?? 'electron');
    return existsSync(binary)
      ? undefined
      : `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist`;
  }
  if (executable === undefined || !existsSync(join(packageDir, 'dist', executable))) {
    return (
      'the Electron binary is not installed on this machine (no internet to download it); ' +
      'run `npx install-electron` or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron'
    );
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'Electron needs a display server and none is set (DISPLAY); run under `xvfb-run`';
  }
  return undefined;
};

/** Skips the calling test, saying why, where Electron cannot run. */
const requireElectron = (): void => {
  const skipReason = electronUnavailableReason();
  if (skipReason !== undefined) console.log(`[electron-app.spec] skipped: ${skipReason}`);
  test.skip(skipReason !== undefined, skipReason);
  expect(existsSync(mainBundle), `${mainBundle} is missing: run \`npm run build\` first`).toBe(
    true,
  );
};

/**
 * Starts the built app on a throwaway profile, so the test never touches the user's real
 * accounts: Linux finds userData under XDG_CONFIG_HOME; elsewhere Chromium's --user-data-dir.
 */
const launchApp = async (run: (app: ElectronApplication) => Promise<void>): Promise<void> => {
  const profile = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-'));
  const app = await electron.launch({
    args: ['out/main/index.js', `--user-data-dir=${join(profile, 'Tokendesk')}`],
    cwd: repoRoot,
    env: { ...process.env, XDG_CONFIG_HOME: profile },
  });
  try {
    await run(app);
  } finally {
    await app.close();
    rmSync(profile, { recursive: true, force: true });
  }
};

test('the main window shows the title Tokendesk', async () => {
  requireElectron();
  await launchApp(async (app) => {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('Tokendesk');
    await expect(window.getByRole('heading', { name: /Tokendesk/ })).toBeVisible();
    const nativeTitle = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.getTitle(),
    );
    expect(nativeTitle).toBe('Tokendesk');
  });
});

test.describe('against oidc-provider', () => {
  let oidc: OidcServer | undefined;
  test.afterAll(async () => {
    await oidc?.stop();
  });

  test('connect in the embedded consent window, copy a token, read it from the clipboard', async () => {
    requireElectron();
    test.setTimeout(120_000);
    oidc = await startLocalIdp(300);
    const issuer = oidc.issuer;
    await launchApp(async (app) => {
      const window = await app.firstWindow();
      await window.getByRole('button', { name: 'Add a provider' }).click();
      await fillLocalProvider(window, issuer);
      await window.getByRole('button', { name: 'Save provider' }).click();

      // Connect opens the app's consent window on the provider's login page.
      const consentOpened = app.waitForEvent('window');
      await window.getByRole('button', { name: 'Connect Local IdP' }).click();
      const consent = await consentOpened;
      const login = consent.locator('form:has(> input[name="prompt"][value="login"])');
      await login.locator('input[name="login"]').fill('alice');
      await login.locator('input[name="password"]').fill('any-password');
      await login.locator('button[type="submit"]').click();
      await consent
        .locator('form:has(> input[name="prompt"][value="consent"]) button[type="submit"]')
        .click();

      // The redirect is intercepted in main: the window closes and the account appears.
      const row = window.getByRole('listitem').filter({ hasText: 'alice@example.test' });
      await expect(row).toBeVisible({ timeout: 30_000 });
      await expect(row.getByTestId('countdown')).toHaveText(/expires in \d+:\d\d/);
      await expect.poll(() => consent.isClosed()).toBe(true);

      await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
      await expect(window.getByTestId('toast')).toContainText('Copied');
      const copied = await app.evaluate(({ clipboard }) => clipboard.readText());
      expect(copied.length).toBeGreaterThan(20);
      expect(await userinfoStatus(issuer, copied)).toBe(200);
    });
  });
});
