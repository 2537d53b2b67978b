/**
 * Electron main: claims the single-instance lock, opens the store, builds the core on the
 * Electron adapters, registers IPC, and shows the window, the menu and the tray. Everything with
 * logic lives in main/core; this file only wires.
 */
import { app, BrowserWindow, dialog, powerMonitor, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerCommandLine } from './core/api/command-requests';
import { startCommandServer, type CommandServer } from './core/api/command-server';
import { createApi } from './core/api/create-api';
import { consentByMode } from './core/consent/consent-by-mode';
import { createLoopbackConsent } from './core/consent/loopback-consent';
import { createCore } from './core/core';
import { openStore } from './core/storage/open-store';
import { isAllowedEndpoint } from '../shared/url-rules';
import { installAppMenu } from './shell/app-menu';
import { installCommand } from './shell/command-install';
import { createConsentWindowPort } from './shell/consent-window';
import { registerAppScheme, serveAppFiles } from './shell/app-protocol';
import { APP_PAGE_URL } from './shell/app-url';
import { createElectronStore, storeFilePath } from './shell/electron-store-kv';
import { createElectronClipboard } from './shell/electron-clipboard';
import { createElectronFetch } from './shell/electron-fetch';
import { watchCertificateFailures } from './shell/certificate-failures';
import { answerConsentProxyLogins, askProxySignIn } from './shell/proxy-login';
import { hardenedWebPreferences, lockDownContents } from './shell/hardened-window';
import { registerIpc } from './shell/ipc-bridge';
import { createConsoleLogger } from './shell/redacting-logger';
import { detectSecretProtection, safeStorageBox } from './shell/safe-storage-box';
import { claimSingleInstance, revealWindow, startsHidden } from './shell/single-instance';
import { trustSystemCertificates } from './shell/system-certificates';
import { trayIcon } from './shell/tray-icon';
import { installTray, type AppTray, type TrayOptions } from './shell/tray-menu';
import {
  createWindowStateStore,
  restoreWindowPlacement,
  trackWindowState,
  type WindowStateStore,
} from './shell/window-state';
import { messageOf } from '../shared/errors';

const here = fileURLToPath(new URL('.', import.meta.url));
const logger = createConsoleLogger();
const DEFAULT_WINDOW_SIZE = { width: 960, height: 680 } as const;
let mainWindow: BrowserWindow | undefined;
/** The tray, when the desktop has one: with it, closing the window does not quit. */
let tray: AppTray | undefined;
/** The `tokendesk` command's channel, once open. */
let commandServer: CommandServer | undefined;
/** Set once the app has started: opens a new app window. */
let openMainWindow: (() => void) | undefined;

/** The dev server under `npm run dev`; otherwise out/renderer on the app's own scheme. */
const rendererUrl = (): string =>
  process.env.ELECTRON_RENDERER_URL && !app.isPackaged
    ? process.env.ELECTRON_RENDERER_URL
    : APP_PAGE_URL;

/** Set once quitting has begun: nothing opens a window any more. */
let quitting = false;

/** The app window to the front, or a new one if it was closed (macOS keeps running without). */
const showMainWindow = (): void => {
  if (quitting) return;
  if (mainWindow && !mainWindow.isDestroyed()) revealWindow(mainWindow);
  else openMainWindow?.();
};

/**
 * The app window to the front if it is open. A window the user closed stays closed: closing it
 * also closes a consent window, whose "cancelled" must not bring the app window back.
 */
const revealOpenWindow = (): void => {
  if (!quitting && mainWindow && !mainWindow.isDestroyed()) revealWindow(mainWindow);
};

/** Opens only what the app built: an https: (or loopback http:) authorization URL. */
const openAuthorizationUrl = async (url: string): Promise<void> => {
  if (!isAllowedEndpoint(url)) throw new Error('refusing to open a URL the app did not build');
  await shell.openExternal(url);
};

const createWindow = (windowState: WindowStateStore): BrowserWindow => {
  const placement = restoreWindowPlacement(windowState, DEFAULT_WINDOW_SIZE, logger);
  const window = new BrowserWindow({
    ...placement.bounds,
    title: 'Tokendesk',
    show: false,
    webPreferences: hardenedWebPreferences(join(here, '../preload/index.cjs')),
  });
  lockDownContents(window.webContents);
  trackWindowState(window, windowState, { logger });
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(rendererUrl());
  return window;
};

/** The `tokendesk` command of this build: beside app.asar when packaged, in out/ when not. */
const commandPath = (): string =>
  app.isPackaged
    ? join(
        process.resourcesPath,
        'bin',
        process.platform === 'win32' ? 'tokendesk.exe' : 'tokendesk',
      )
    : join(here, '../command', process.platform === 'win32' ? 'tokendesk.exe' : 'tokendesk');

/** File → Install Command in PATH…: does it, then says what happened. */
const installCommandFromMenu = async (): Promise<void> => {
  const result = await installCommand({
    command: commandPath(),
    platform: process.platform,
    home: app.getPath('home'),
    ...(process.env.APPIMAGE ? { appImage: process.env.APPIMAGE } : {}),
  });
  const options = {
    type: result.ok ? ('info' as const) : ('warning' as const),
    title: 'Install Command in PATH',
    message: result.ok ? 'The tokendesk command is installed.' : 'The command was not installed.',
    detail: result.message,
  };
  await (mainWindow && !mainWindow.isDestroyed()
    ? dialog.showMessageBox(mainWindow, options)
    : dialog.showMessageBox(options));
};

/** How long a quit waits for the clipboard to be cleared: a clipboard that hangs must not. */
const CLEAR_BEFORE_QUIT_MS = 1_000;

const withTimeLimit = (work: Promise<void>, ms: number): Promise<void> =>
  Promise.race([work, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);

const startTray = (options: Omit<TrayOptions, 'icon'>): AppTray | undefined => {
  try {
    return installTray({ ...options, icon: trayIcon() });
  } catch (error) {
    // Some Linux desktops have no tray; the app works without one.
    logger.warn('no tray icon', { reason: messageOf(error) });
    return undefined;
  }
};

const start = async (): Promise<void> => {
  await app.whenReady();
  trustSystemCertificates(logger);
  installAppMenu(process.platform, () => void installCommandFromMenu());
  // Before the first window: the app window's page comes from here (main/shell/app-protocol.ts).
  serveAppFiles(join(here, '../renderer'));
  const store = openStore({
    filePath: storeFilePath(app.getPath('userData')),
    create: createElectronStore,
    logger,
    now: Date.now,
    appVersion: app.getVersion(),
  });
  // main's requests have a session of their own, in memory: nothing of theirs reaches the disk,
  // and nothing else Chromium does (the app window, its downloads) shares it.
  const requestSession = session.fromPartition('tokendesk-requests', { cache: false });
  const core = createCore({
    store,
    secretBox: safeStorageBox,
    secretProtection: detectSecretProtection(),
    // Each provider's consentMode picks the port; Google defaults to the system browser, the only
    // mode its sign-in allows (RFC 8252).
    consent: consentByMode({
      embedded: createConsentWindowPort({ parent: () => mainWindow, logger }),
      'system-browser': createLoopbackConsent(openAuthorizationUrl),
    }),
    clipboard: createElectronClipboard({ logger }),
    // A sign-in with a code's "Open page": the provider's page, under the same rule.
    openExternal: openAuthorizationUrl,
    logger,
    handOutLogFile: join(app.getPath('userData'), 'command-line-log.json'),
    // Chromium's network stack: the system's proxy (PAC included) and certificate store.
    fetch: createElectronFetch({
      session: requestSession,
      certificates: watchCertificateFailures(requestSession),
      proxyLogin: (authInfo, again) => askProxySignIn(core.proxySignIn, authInfo, again),
    }),
    resolveProxy: (url) => requestSession.resolveProxy(url),
  });
  answerConsentProxyLogins(core.proxySignIn);
  const api = createApi(core);
  registerIpc(api, core.events, () => mainWindow, rendererUrl(), logger);

  const windowState = createWindowStateStore(logger);
  openMainWindow = () => {
    mainWindow = createWindow(windowState);
  };
  tray = startTray({ api, events: core.events, showWindow: showMainWindow, logger });
  // Started by the command line (--hidden) the app stays in the tray, if there is one to stay in.
  if (!(tray && startsHidden(process.argv))) openMainWindow();
  // The command line's channel is always open: with access off it answers so, and the command
  // can say where to turn it on rather than "not running". Opened beside the rest of the start.
  void startCommandServer({
    userData: app.getPath('userData'),
    answer: (line, key) => answerCommandLine(line, key, core),
    logger,
    // An AppImage runs from a mount that changes at each start: its own path is the one to keep.
    appCommand: [
      process.env.APPIMAGE ?? process.execPath,
      ...(app.isPackaged ? [] : [app.getAppPath()]),
    ],
  }).then(
    (server) => {
      if (quitting) void server.close();
      else commandServer = server;
    },
    (error: unknown) =>
      logger.warn('the command line’s channel is not open', { reason: messageOf(error) }),
  );
  // A command asking for a token brings the window forward with the approval prompt.
  let prompts = 0;
  core.events.on('commandLineChanged', ({ pending }) => {
    if (pending.length > prompts) showMainWindow();
    prompts = pending.length;
  });
  // A proxy asking for a password brings the window forward with the prompt.
  let proxyPrompts = 0;
  core.events.on('proxySignIn', (requests) => {
    if (requests.length > proxyPrompts) showMainWindow();
    proxyPrompts = requests.length;
  });
  // A sign-in in the user's browser ends with a tab that says to return here: bring Tokendesk to
  // the front with the outcome (the new account, or what went wrong).
  core.events.on('connectProgress', ({ stage }) => {
    if (stage === 'done' || stage === 'failed') revealOpenWindow();
  });
  // Timers do not count sleep: after it, the refresh timer and a pending clipboard clear are
  // re-armed from the wall clock, so tokens due during the night are refreshed on wake.
  const wake = (): void => void core.wake();
  powerMonitor.on('resume', wake);
  powerMonitor.on('unlock-screen', wake);

  app.on('activate', () => {
    if (!mainWindow || mainWindow.isDestroyed()) openMainWindow?.();
  });
  app.on('before-quit', (event) => {
    // A copied token still waiting for its clear is cleared first (quitting would cancel the
    // timer and leave it on the clipboard), then the quit goes on.
    if (!quitting && core.hasPendingClipboardClear()) {
      event.preventDefault();
      quitting = true;
      void withTimeLimit(core.clearClipboardBeforeQuit(), CLEAR_BEFORE_QUIT_MS).finally(() =>
        app.quit(),
      );
      return;
    }
    quitting = true;
    tray?.dispose();
    core.dispose();
    void commandServer?.close();
  });
};

// A second Tokendesk hands over to the first (which shows its window) and starts nothing.
if (claimSingleInstance(showMainWindow)) {
  // Only before the app is ready can a scheme be made privileged: here, at the module's top level.
  registerAppScheme();
  // Chromium's spell checker downloads dictionaries from Google as each session starts: a
  // request nobody asked for, sent through a company proxy too (whose password prompt would be
  // about a dictionary). Off from each session's creation; the windows never spellcheck anyway
  // (hardened-window.ts).
  // Both calls are needed: disabled alone, it still fetches the dictionary of the system's
  // language. (On macOS the system's checker is used and the second call does nothing.)
  app.on('session-created', (created) => {
    created.setSpellCheckerEnabled(false);
    created.setSpellCheckerLanguages([]);
  });
  // macOS apps stay in the dock and menu bar without windows. Elsewhere the tray keeps the app
  // (its one-click copy and the refresh timer) running; without a tray, closing the window quits.
  app.on('window-all-closed', () => {
    if (process.platform === 'darwin') return;
    if (tray) tray.noteStillRunning();
    else app.quit();
  });

  start().catch((error: unknown) => {
    logger.error('Tokendesk failed to start', {
      message: messageOf(error),
    });
    app.quit();
  });
}
