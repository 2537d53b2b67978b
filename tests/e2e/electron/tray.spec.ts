/**
 * Real Electron, the tray (main/shell/tray-menu.ts) as a panel sees it: the test desktop gets a
 * tray host (a StatusNotifierWatcher on its private session bus, tray-host.ts), Tokendesk's tray
 * icon registers with it, and the test reads the tray menu and picks its items over D-Bus, as a
 * panel does when the user clicks. Where no host can be started, the tests say why they skip.
 */
import { expect, test } from '@playwright/test';
import type { OidcServer } from '../../support/oidc-server';
import { startLocalIdp, userinfoStatus } from '../support/local-idp';
import { addLocalProvider, connectEmbedded } from '../support/electron/app-actions';
import { appWindows, withAppWindow } from '../support/electron/app-windows';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
  requireThat,
  type RunningApp,
} from '../support/electron/electron-harness';
import { startTrayHost, type TrayHost, type TrayItem } from '../support/electron/tray-host';

const spec = 'tray.spec';
/** The tray appears once the app has started; bounded generously for a busy machine. */
const REGISTERED_WITHIN_MS = 30_000;

let host: TrayHost | undefined;

test.beforeAll(async () => {
  const started = await startTrayHost();
  if ('reason' in started) requireThat(started.reason, spec);
  else host = started;
});

test.afterAll(() => host?.stop());

const trayOf = (running: RunningApp): Promise<TrayItem> =>
  host!.itemOf(running.app.process().pid!, REGISTERED_WITHIN_MS);

const labels = async (tray: TrayItem) => (await tray.menu()).map((entry) => entry.label);

/** Waits for the process to end, bounded; answers its exit code or 'still running'. */
const exitOf = (running: RunningApp): Promise<number | null | 'still running'> => {
  const process = running.app.process();
  return Promise.race([
    new Promise<number | null>((resolve) => {
      if (process.exitCode !== null) resolve(process.exitCode);
      else process.once('exit', (code) => resolve(code));
    }),
    new Promise<'still running'>((resolve) =>
      setTimeout(() => resolve('still running'), 30_000).unref(),
    ),
  ]);
};

test('with no account the tray icon says so, and its Quit ends the app', async () => {
  const runtime = requireElectron({ spec });
  const profile = createProfile();
  const running = await launchTokendesk({ runtime, profile, keyring: false });
  try {
    const tray = await trayOf(running);
    expect(await tray.toolTip()).toBe('Tokendesk');
    const icon = await tray.icon();
    expect(icon.pixmaps.length > 0 || icon.name !== '', JSON.stringify(icon)).toBe(true);
    await expect
      .poll(() => tray.menu())
      .toEqual([
        expect.objectContaining({ label: 'No accounts connected', enabled: false }),
        expect.objectContaining({ separator: true }),
        expect.objectContaining({ label: 'Show Tokendesk', enabled: true }),
        expect.objectContaining({ label: 'Quit', enabled: true }),
      ]);

    await tray.click('Quit');
    expect(await exitOf(running)).toBe(0);
  } finally {
    await running.close();
    profile.remove();
  }
});

test.describe('against oidc-provider', () => {
  let oidc: OidcServer | undefined;
  test.afterAll(async () => {
    await oidc?.stop();
  });

  test('the tray copies a token the provider accepts, with the window open or closed, and shows the window again', async () => {
    const runtime = requireElectron({ spec, keyring: true });
    test.setTimeout(120_000);
    oidc = await startLocalIdp(300);
    const profile = createProfile();
    const running = await launchTokendesk({ runtime, profile });
    const { app, window } = running;
    try {
      const tray = await trayOf(running);
      await addLocalProvider(window, oidc.issuer);
      await connectEmbedded(app, window, 'alice');
      // The menu follows the accounts: "<provider label> — <email>", one per account.
      const accountEntry = 'Local IdP — alice@example.test';
      await expect.poll(() => labels(tray)).toContain(accountEntry);
      expect(await labels(tray)).toEqual([
        'Copy access token',
        accountEntry,
        '',
        'Show Tokendesk',
        'Quit',
      ]);

      /** Picks the account in the tray; answers what the clipboard then holds. */
      const copyFromTray = async (): Promise<string> => {
        const before = 'on the clipboard before the tray copy';
        await app.evaluate(({ clipboard }, text) => clipboard.writeText(text), before);
        await tray.click(accountEntry);
        const clipboardText = () => app.evaluate(({ clipboard }) => clipboard.readText());
        await expect.poll(clipboardText).not.toBe(before);
        return clipboardText();
      };
      expect(await userinfoStatus(oidc.issuer, await copyFromTray())).toBe(200);

      // Closing the window with a tray leaves the app running, and its tray still copies.
      const bounds = { x: 31, y: 47, width: 700, height: 520 };
      await app.evaluate(({ BrowserWindow }, bounds) => {
        BrowserWindow.getAllWindows()[0]!.setBounds(bounds);
      }, bounds);
      await withAppWindow(app, 'close');
      await expect.poll(() => appWindows(app)).toEqual([]);
      expect(app.process().exitCode).toBeNull();
      expect(await userinfoStatus(oidc.issuer, await copyFromTray())).toBe(200);

      // Show Tokendesk opens the window again, where the user left it, with the account.
      const opened = app.waitForEvent('window');
      await tray.click('Show Tokendesk');
      const reopened = await opened;
      await expect(
        reopened.getByRole('listitem').filter({ hasText: 'alice@example.test' }),
      ).toBeVisible();
      await expect
        .poll(() => appWindows(app))
        .toEqual([expect.objectContaining({ visible: true })]);
      await expect
        .poll(() =>
          app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getBounds()),
        )
        .toEqual(bounds);
    } finally {
      await running.close();
      profile.remove();
    }
  });
});
