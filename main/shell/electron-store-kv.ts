/** The key-value store on electron-store (atomic JSON writes through its engine, conf). */
import { join } from 'node:path';
import Store from 'electron-store';
import type { KeyValueStore } from '../core/ports';
import { STORE_FILE_OPTIONS, STORE_NAME } from '../core/storage/store-file-options';

export { STORE_NAME };

export const storeFilePath = (userData: string): string => join(userData, `${STORE_NAME}.json`);

export const createElectronStore = (): KeyValueStore =>
  new Store<Record<string, unknown>>({ name: STORE_NAME, ...STORE_FILE_OPTIONS });
