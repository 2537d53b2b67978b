/**
 * One Tokendesk per user: a second start hands over to the running instance and quits, so two
 * processes never write the same store file or run two refresh timers on the same refresh tokens
 * (with rotation on, concurrent refreshes revoke the whole grant: docs/PROVIDERS.md).
 */
import { app, type BrowserWindow } from 'electron';

/**
 * Takes the single-instance lock. Without it, another instance is running and has been told to
 * show itself: this one quits and answers false, and the caller must start nothing (no store, no
 * window). With it, `showWindow` runs whenever a later start is refused.
 */
export const claimSingleInstance = (showWindow: () => void): boolean => {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  // A start in the background (the command line starting the app it found running after all)
  // leaves the window as it is.
  app.on('second-instance', (_event, argv) => {
    if (!startsHidden(argv)) showWindow();
  });
  return true;
};

/**
 * `--hidden`: start in the tray without a window. The `tokendesk` command starts the app this
 * way when it finds it not running; the window opens when there is something to ask the user.
 */
export const startsHidden = (argv: readonly string[]): boolean => argv.includes('--hidden');

/** Brings a window to the front: restored if minimized, shown if hidden, then focused. */
export const revealWindow = (window: BrowserWindow | undefined): void => {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
};
