/**
 * Registers every API function with ipcMain.handle and forwards core events, accepting calls
 * only from the app's own window and frame (GitHub Desktop's trusted-sender gate is the model).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  ipcChannel,
  ipcEvent,
  type TokendeskApi,
} from '../../shared/ipc-contract';
import type { CoreEvents } from '../core/events';
import type { Logger } from '../core/ports';

/**
 * The file a file: URL names, spelled one way: Node's pathToFileURL (the app URL) and Chromium
 * (the frame URL) may escape characters differently, and Chromium upper-cases a drive letter.
 */
const filePath = (url: URL): string => {
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape stays as written: it then matches only itself.
  }
  return path.replace(/^\/([a-z]):/, (_match, drive: string) => `/${drive.toUpperCase()}:`);
};

/**
 * Whether a frame shows the app's own page. The dev server (http:) is compared by origin. Every
 * file: URL has the same opaque origin, and any file: page — one the user saved, one in /tmp —
 * would pass a scheme check: it must be the app's own file (query and hash aside, which the
 * renderer may use).
 */
const isAppPage = (frameUrl: string, appUrl: string): boolean => {
  try {
    const frame = new URL(frameUrl);
    const app = new URL(appUrl);
    if (app.protocol === 'http:' || app.protocol === 'https:') return frame.origin === app.origin;
    return (
      frame.protocol === app.protocol &&
      frame.host === app.host &&
      filePath(frame) === filePath(app)
    );
  } catch {
    return false;
  }
};

export const isTrustedSender = (
  event: IpcMainInvokeEvent,
  window: BrowserWindow | undefined,
  appUrl: string,
): boolean => {
  if (!window || window.isDestroyed() || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== window.webContents.mainFrame) return false;
  return isAppPage(frame.url, appUrl);
};

export const registerIpc = (
  api: TokendeskApi,
  events: CoreEvents,
  getWindow: () => BrowserWindow | undefined,
  appUrl: string,
  logger: Logger,
): void => {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => {
      if (!isTrustedSender(event, getWindow(), appUrl)) {
        logger.warn('IPC call from an untrusted sender dropped', { channel: name });
        return undefined;
      }
      return (api[name] as (input: unknown) => Promise<unknown>)(input);
    });
  }
  for (const name of EVENT_NAMES) {
    events.on(name, (payload) => {
      const window = getWindow();
      if (window && !window.isDestroyed()) window.webContents.send(ipcEvent(name), payload);
    });
  }
};
