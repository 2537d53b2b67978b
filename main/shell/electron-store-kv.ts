/** The key-value store on electron-store (atomic JSON writes through its engine, conf). */
import { join } from 'node:path';
import Store from 'electron-store';
import type { KeyValueStore } from '../core/ports';

export const STORE_NAME = 'tokendesk';

export const storeFilePath = (userData: string): string => join(userData, `${STORE_NAME}.json`);

export const createElectronStore = (): KeyValueStore =>
  // clearInvalidConfig false: a corrupt file throws, so openStore can move it aside instead of
  // electron-store silently wiping it.
  new Store<Record<string, unknown>>({ name: STORE_NAME, clearInvalidConfig: false });
