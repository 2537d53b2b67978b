/** The key-value store on electron-store, its engine conf writing through withDurableWrites. */
import { join } from 'node:path';
import { ipcMain } from 'electron';
import Store, { type Options } from 'electron-store';
import type { KeyValueStore } from '../core/ports';
import { PRIVATE_FILE_MODE } from '../core/storage/durable-file';
import { withDurableWrites } from '../core/storage/durable-store-writes';
import { STORE_FILE_OPTIONS, STORE_NAME } from '../core/storage/store-file-options';

export { STORE_NAME };

/**
 * electron-store answers this synchronous IPC message from any renderer (with the user-data path
 * and the app version), for renderers that open a store themselves. Ours never do, and it would
 * be the one channel outside the trusted-sender gate (ipc-bridge.ts): it is removed.
 */
export const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';

/**
 * An electron-store in main, without the IPC listener it registers for renderers, whose saves
 * write every byte durably into a 0600 file (withDurableWrites) or fail.
 */
export const openElectronStore = <T extends Record<string, unknown>>(
  options: Options<T>,
): Store<T> => {
  let store: Store<T>;
  try {
    store = new Store<T>({ configFileMode: PRIVATE_FILE_MODE, ...options });
  } finally {
    // Also when the file is refused: the listener is registered before the file is read.
    ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL);
  }
  return withDurableWrites(store);
};

export const storeFilePath = (userData: string): string => join(userData, `${STORE_NAME}.json`);

export const createElectronStore = (): KeyValueStore =>
  openElectronStore<Record<string, unknown>>({ name: STORE_NAME, ...STORE_FILE_OPTIONS });
