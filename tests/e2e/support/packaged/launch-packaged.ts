/**
 * Starts the packaged Tokendesk as a user does — its own executable, production fuses, app.asar —
 * on the harness's display and a throwaway profile, and answers its window as a Playwright page
 * once the window is on screen and painted. For specs and for anything that wants the installed
 * app's window (screenshots).
 *
 *   const app = await launchPackaged({ executable });
 *   await app.page.screenshot({ path: 'window.png' });
 *   await app.close();
 */
import {
  appEnvironment,
  createProfile,
  passwordStoreSwitch,
  type Profile,
} from '../electron/electron-harness';
import { startApp, startSwitches, type AppProcess } from './app-process';
import { attachToWindow, waitForFirstPaint, type AttachedWindow } from './attach-window';

export interface PackagedLaunchOptions {
  /** The packaged executable (PackagedApp.executable). */
  readonly executable: string;
  /** Default: a new profile, removed by close(). */
  readonly profile?: Profile;
  /** Start with the test keyring (gnome-libsecret) or without any (basic). Default: with. */
  readonly keyring?: boolean;
  /** Added to the environment (after the profile's folders, so these win). */
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
}

export interface PackagedLaunch extends AttachedWindow {
  readonly app: AppProcess;
  readonly profile: Profile;
  /** ms since the epoch of the window's first painted frame on screen. */
  readonly firstPaintAt: number;
  /** Disconnects, ends every process of the app, removes the profile if launch made it. */
  readonly close: () => Promise<void>;
}

export const launchPackaged = async ({
  executable,
  profile: given,
  keyring = true,
  env = {},
  args = [],
  timeoutMs = 60_000,
}: PackagedLaunchOptions): Promise<PackagedLaunch> => {
  const profile = given ?? createProfile();
  const forget = (): void => {
    if (!given) profile.remove();
  };
  let app: AppProcess;
  try {
    app = await startApp({
      executable,
      // The caller's arguments first: a script path must stay the first argument, where Node
      // would take it if the binary ever ran as Node.
      args: [...args, ...startSwitches(), passwordStoreSwitch(keyring)],
      env: appEnvironment(profile, env),
      timeoutMs,
    });
  } catch (error) {
    forget();
    throw error;
  }
  let attached: AttachedWindow | undefined;
  try {
    attached = await attachToWindow(app.devtoolsUrl, { timeoutMs });
    const firstPaintAt = await waitForFirstPaint(attached.page, timeoutMs);
    const { browser } = attached;
    const close = async (): Promise<void> => {
      // Only disconnects: the browser is the app's, and stop() ends it.
      await browser.close().catch(() => undefined);
      await app.stop();
      forget();
    };
    return { ...attached, app, profile, firstPaintAt, close };
  } catch (error) {
    await attached?.browser.close().catch(() => undefined);
    await app.stop();
    forget();
    throw error;
  }
};
