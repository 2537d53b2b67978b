/**
 * The one place windows get their security settings (docs SECURITY.md, Electron's checklist):
 * every window is isolated and sandboxed with no Node anywhere, web security stays on, and the
 * app window can neither navigate, be redirected, open windows nor be granted a permission.
 * That the app window and the consent window use these settings: main-wiring.test.ts and
 * consent-window.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { APP_PAGE_URL } from '../../../main/shell/app-url';
import { hardenedWebPreferences, lockDownContents } from '../../../main/shell/hardened-window';
import type { FakeWebContents } from '../helpers/mock-electron';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

describe('hardenedWebPreferences', () => {
  it.each([
    ['without a preload', undefined],
    ['with a preload', '/app/out/preload/index.cjs'],
  ])('isolates and sandboxes, with no Node in any frame or worker (%s)', (_case, preload) => {
    expect(hardenedWebPreferences(preload)).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on: no insecure content, no experimental features, no <webview>', () => {
    expect(hardenedWebPreferences()).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('sets a preload only when one is given', () => {
    expect(hardenedWebPreferences()).not.toHaveProperty('preload');
    expect(hardenedWebPreferences('/app/out/preload/index.cjs').preload).toBe(
      '/app/out/preload/index.cjs',
    );
  });

  it('adds nothing that loosens a window: no Blink features, no extra arguments, no session', () => {
    // Each window's session is its caller's choice (the consent window's is its own partition).
    const preferences = hardenedWebPreferences();
    for (const key of ['enableBlinkFeatures', 'additionalArguments', 'session', 'partition']) {
      expect(preferences, key).not.toHaveProperty(key);
    }
  });
});

describe('lockDownContents', () => {
  let contents: FakeWebContents;

  beforeEach(() => {
    vi.clearAllMocks();
    contents = new electron.BrowserWindow().webContents;
    lockDownContents(contents as unknown as WebContents);
  });

  it('prevents every navigation, to a web page or anywhere else, the app’s own scheme included', () => {
    for (const url of [
      APP_PAGE_URL,
      'tokendesk://app/assets/index.js',
      'https://evil.example/',
      'http://127.0.0.1:5173/',
      'file:///etc/passwd',
      'tokendesk://callback',
      'javascript:alert(1)',
    ]) {
      expect(contents.navigate('will-navigate', url), url).toBe(true);
    }
  });

  it('prevents every redirect', () => {
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-redirect', APP_PAGE_URL)).toBe(true);
  });

  it('denies new windows (window.open, target=_blank)', () => {
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
    expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(contents.openWindow('file:///etc/passwd')).toEqual({ action: 'deny' });
  });

  it('refuses every permission request and check on the window’s session', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'clipboard-sanitized-write',
      'openExternal',
      'fullscreen',
      'unknown',
    ]) {
      expect(contents.session.requestPermission(permission), permission).toBe(false);
      expect(contents.session.checkPermission(permission), permission).toBe(false);
    }
  });
});
