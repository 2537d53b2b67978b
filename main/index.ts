/**
 * Electron main: opens the store, builds the core on the Electron adapters, registers IPC and
 * shows the window. Everything with logic lives in main/core; this file only wires.
 */
import { app, BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApi } from './core/api/create-api';
import { createLoopbackConsent } from './core/consent/loopback-consent';
import { createCore } from './core/core';
import { openStore } from './core/storage/open-store';
import { isAllowedEndpoint } from '../shared/url-rules';
import { createElectronStore, storeFilePath } from './shell/electron-store-kv';
import { electronClipboard } from './shell/electron-clipboard';
import { hardenedWebPreferences, lockDownContents } from './shell/hardened-window';
import { registerIpc } from './shell/ipc-bridge';
import { createConsoleLogger } from './shell/redacting-logger';
import { safeStorageBox, secretPolicyForPlatform } from './shell/safe-storage-box';

const here = fileURLToPath(new URL('.', import.meta.url));
const logger = createConsoleLogger();
let mainWindow: BrowserWindow | undefined;

const rendererUrl = (): string =>
  process.env.ELECTRON_RENDERER_URL && !app.isPackaged
    ? process.env.ELECTRON_RENDERER_URL
    : new URL(`file://${join(here, '../renderer/index.html')}`).href;

const createWindow = (): BrowserWindow => {
  const window = new BrowserWindow({
    width: 960,
    height: 680,
    title: 'Tokendesk',
    show: false,
    webPreferences: hardenedWebPreferences(join(here, '../preload/index.cjs')),
  });
  lockDownContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl());
  return window;
};

const start = async (): Promise<void> => {
  await app.whenReady();
  const store = openStore({
    filePath: storeFilePath(app.getPath('userData')),
    create: createElectronStore,
    logger,
    now: Date.now,
  });
  const core = createCore({
    store,
    secretBox: safeStorageBox,
    secretPolicy: secretPolicyForPlatform(),
    // The user's browser: it works for every provider, Google included (RFC 8252).
    consent: createLoopbackConsent(async (url) => {
      if (!isAllowedEndpoint(url)) throw new Error('refusing to open a URL the app did not build');
      await shell.openExternal(url);
    }),
    clipboard: electronClipboard,
    logger,
  });
  registerIpc(createApi(core), core.events, () => mainWindow, rendererUrl(), logger);
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('before-quit', () => core.dispose());
};

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

start().catch((error: unknown) => {
  logger.error('Tokendesk failed to start', {
    message: error instanceof Error ? error.message : String(error),
  });
  app.quit();
});
