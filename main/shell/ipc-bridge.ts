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

export const isTrustedSender = (
  event: IpcMainInvokeEvent,
  window: BrowserWindow | undefined,
  appUrl: string,
): boolean => {
  if (!window || window.isDestroyed() || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== window.webContents.mainFrame) return false;
  try {
    return new URL(frame.url).origin === new URL(appUrl).origin || frame.url.startsWith('file:');
  } catch {
    return false;
  }
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
