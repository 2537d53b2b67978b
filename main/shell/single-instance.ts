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
  app.on('second-instance', () => showWindow());
  return true;
};

/** Brings a window to the front: restored if minimized, shown if hidden, then focused. */
export const revealWindow = (window: BrowserWindow | undefined): void => {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
};
