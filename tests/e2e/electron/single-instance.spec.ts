/**
 * Real Electron, one Tokendesk at a time: starting it again on the same profile (the same
 * executable, app, switches and environment) while it runs ends that second start by itself,
 * opens no second window, and brings the running app's window back.
 *
 * The test display has no window manager, which decides what can be seen:
 * - hidden (unmapped) windows and the keyboard focus are the X server's and observable, and
 *   without a window manager focus() also raises the window, so "forward" is observable as the
 *   focus and the top of the X stacking order;
 * - the X server's list of top-level windows shows every app's windows, a second Tokendesk's too
 *   (with a window manager it shows its frames instead: those checks are then left out);
 * - minimizing is a request to the window manager: without one nothing is minimized, so the
 *   minimized case starts one (openbox, window-manager.ts) and says so where it cannot.
 */
import { expect, test, type ElectronApplication } from '@playwright/test';
import { appWindows, withAppWindow } from '../support/electron/app-windows';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
  requireThat,
  type Profile,
  type RunningApp,
} from '../support/electron/electron-harness';
import { startOtherApp, type OtherApp } from '../support/electron/other-app';
import { startAgain, type Exit, type SecondStart } from '../support/electron/second-start';
import { startWindowManager } from '../support/electron/window-manager';
import { noBareDisplay, viewableStack } from '../support/electron/x-windows';
import type { ElectronRuntime } from '../support/electron/which-electron';

const spec = 'single-instance.spec';
/** A second start that hands over and quits takes a second or two; a generous bound. */
const EXIT_WITHIN_MS = 30_000;

interface Started {
  readonly runtime: ElectronRuntime;
  readonly profile: Profile;
  readonly running: RunningApp;
}

/** The running app (no keyring: no secrets are involved), and what to clean up. */
const withRunningApp = async (work: (started: Started) => Promise<void>): Promise<void> => {
  const runtime = requireElectron({ spec });
  const profile = createProfile();
  const running = await launchTokendesk({ runtime, profile, keyring: false });
  try {
    await work({ runtime, profile, running });
  } finally {
    await running.close();
    profile.remove();
  }
};

let bare: boolean | undefined;
/** Where the X server's window list shows the apps' own windows; else why not (printed once). */
const bareDisplay = (): boolean => {
  if (bare === undefined) {
    const why = noBareDisplay();
    if (why) console.log(`[${spec}] the checks on the X window list are left out: ${why}`);
    bare = why === undefined;
  }
  return bare;
};

/** Which window is on top of all others, where the X server can tell. */
const expectOnTop = (title: string): void => {
  if (bareDisplay()) expect(viewableStack()[0]).toBe(title);
};

/**
 * Starts the app again and waits (bounded) for that start to end by itself, watching the display
 * meanwhile: answers the largest number of Tokendesk windows on screen at once while it ran (0
 * where the display cannot tell).
 */
const startAgainAndWait = async ({ runtime, profile }: Started): Promise<number> => {
  const second: SecondStart = startAgain({ runtime, profile, keyring: false });
  try {
    let exit: Exit | undefined;
    void second.exited.then((ended) => (exit = ended));
    let most = 0;
    const watch = bareDisplay();
    const deadline = Date.now() + EXIT_WITHIN_MS;
    // Sampling, not timing: a second window would stay up for the second start's whole life.
    while (exit === undefined && Date.now() < deadline) {
      if (watch) {
        most = Math.max(most, viewableStack().filter((title) => title === 'Tokendesk').length);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(exit, `the second start did not end by itself:\n${second.output()}`).toEqual({
      code: 0,
      signal: null,
    });
    return most;
  } finally {
    await second.kill();
  }
};

const oneWindowId = async (app: ElectronApplication): Promise<number> => {
  const windows = await appWindows(app);
  expect(windows).toHaveLength(1);
  return windows[0]!.id;
};

test('a second start while the window is hidden ends by itself and shows that window again', async () => {
  await withRunningApp(async (started) => {
    const { app } = started.running;
    const id = await oneWindowId(app);
    await withAppWindow(app, 'hide');
    await expect.poll(() => appWindows(app)).toEqual([{ id, visible: false, focused: false }]);

    const mostOnScreen = await startAgainAndWait(started);

    // The same window, not a new one, visible and focused; never two on screen.
    await expect.poll(() => appWindows(app)).toEqual([{ id, visible: true, focused: true }]);
    expect(mostOnScreen).toBeLessThanOrEqual(1);
    expectOnTop('Tokendesk');
  });
});

test('a second start brings the window forward from behind another app', async () => {
  let other: OtherApp | undefined;
  await withRunningApp(async (started) => {
    const { app } = started.running;
    const id = await oneWindowId(app);
    other = await startOtherApp(started.runtime);
    // The user switched to another app: its window on top, with the keyboard focus.
    expect(await other.focusOwnWindow()).toBe(true);
    await expect.poll(() => appWindows(app)).toEqual([{ id, visible: true, focused: false }]);
    expectOnTop('Another app');

    await startAgainAndWait(started);

    await expect.poll(() => appWindows(app)).toEqual([{ id, visible: true, focused: true }]);
    expectOnTop('Tokendesk');
  }).finally(() => other?.stop());
});

test('a second start after the window was closed opens it again', async () => {
  await withRunningApp(async (started) => {
    const { app } = started.running;
    await oneWindowId(app);
    // Closing the window leaves the app running: Electron made a tray icon although nothing on
    // this display shows it (README, "Desktop manners": GNOME without the AppIndicator
    // extension), and a new start is then the user's way back to the window.
    await withAppWindow(app, 'close');
    await expect.poll(() => appWindows(app)).toEqual([]);
    expect(started.running.app.process().exitCode).toBeNull();

    const opened = app.waitForEvent('window');
    const mostOnScreen = await startAgainAndWait(started);
    const window = await opened;
    await expect(window.getByRole('heading', { name: /Tokendesk/ }).first()).toBeVisible();
    await expect.poll(async () => (await appWindows(app)).length).toBe(1);
    expect(mostOnScreen).toBeLessThanOrEqual(1);
  });
});

test('a second start while the window is minimized restores it', async () => {
  requireElectron({ spec });
  // Minimizing is a request to a window manager: without one nothing would be minimized.
  const manager = await startWindowManager();
  if ('reason' in manager) requireThat(manager.reason, spec);
  else {
    try {
      await withRunningApp(async (started) => {
        const { app } = started.running;
        const id = await oneWindowId(app);
        const minimized = () =>
          app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isMinimized());
        await withAppWindow(app, 'minimize');
        await expect.poll(minimized).toBe(true);

        await startAgainAndWait(started);

        await expect.poll(minimized).toBe(false);
        await expect.poll(() => appWindows(app)).toEqual([{ id, visible: true, focused: true }]);
      });
    } finally {
      await manager.stop();
    }
  }
});
