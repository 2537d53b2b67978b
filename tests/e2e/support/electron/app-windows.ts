/**
 * The app's windows as its main process sees them (BrowserWindow), for the real-Electron specs
 * about the desktop: whether the user can see the window, and whether it has the keyboard focus.
 */
import type { ElectronApplication } from '@playwright/test';

export interface WindowFacts {
  readonly id: number;
  readonly visible: boolean;
  readonly focused: boolean;
}

export const appWindows = (app: ElectronApplication): Promise<WindowFacts[]> =>
  app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows().map((window) => ({
      id: window.id,
      visible: window.isVisible(),
      focused: window.isFocused(),
    })),
  );

/** Hides, closes or minimizes the one app window, from main (as the user's desktop would). */
export const withAppWindow = async (
  app: ElectronApplication,
  act: 'hide' | 'close' | 'minimize',
): Promise<void> => {
  await app.evaluate(({ BrowserWindow }, act) => {
    const windows = BrowserWindow.getAllWindows();
    if (windows.length !== 1) throw new Error(`expected one app window, found ${windows.length}`);
    windows[0]![act]();
  }, act);
};
