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

/**
 * The app window stays on the page it loaded (tokendesk://app/index.html, or the dev server):
 * every navigation and redirect is refused, to the web, to file: and to another page of the app's
 * own scheme alike (the renderer is one page and never navigates); no new windows; no permissions.
 */
export const lockDownContents = (contents: WebContents): void => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  contents.session.setPermissionCheckHandler(() => false);
};
