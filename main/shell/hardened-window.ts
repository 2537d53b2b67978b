/**
 * The one place windows get their security settings (Electron's security checklist): every
 * window is sandboxed and isolated, may not navigate away, may not open windows, and is refused
 * every permission.
 */
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';

export const hardenedWebPreferences = (
  preload?: string,
): NonNullable<BrowserWindowConstructorOptions['webPreferences']> => ({
  ...(preload !== undefined ? { preload } : {}),
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
});

/** The app window shows only its own files: no navigation, no new windows. */
export const lockDownContents = (contents: WebContents): void => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  contents.session.setPermissionCheckHandler(() => false);
};
