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
 * Whether a frame shows the app's own page. The dev server (http:) is compared by origin. On the
 * app's scheme (main/shell/app-protocol.ts) it must be the page itself: same scheme, host and
 * path (query and hash aside, which the renderer may use), not another file the scheme serves.
 * Node gives a scheme it does not know an opaque origin, so the parts are compared one by one.
 * Nothing else is the app: a file: page (any local file shares that opaque origin) never is.
 */
const isAppPage = (frameUrl: string, appUrl: string): boolean => {
  try {
    const frame = new URL(frameUrl);
    const app = new URL(appUrl);
    if (app.protocol === 'http:' || app.protocol === 'https:') return frame.origin === app.origin;
    return (
      app.protocol !== 'file:' &&
      frame.protocol === app.protocol &&
      frame.host === app.host &&
      frame.username === '' &&
      frame.password === '' &&
      frame.pathname === app.pathname
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
