/**
 * The store file as the app has it: conf (electron-store's engine) in a temporary directory,
 * opened through openStore. Tests read and write the raw file next to it.
 */
import Conf from 'conf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyValueStore } from '../../../main/core/ports';
import { openStore, type OpenedStore } from '../../../main/core/storage/open-store';
import { createCapturingLogger, type CapturingLogger } from './capturing-logger';
import { STORE_FILE_OPTIONS } from '../../../main/core/storage/store-file-options';

export const STORE_NAME = 'store';

export interface TempStoreDir {
  readonly dir: string;
  /** The file conf reads and writes: `<dir>/store.json`. */
  readonly file: string;
  remove(): void;
}

export const tempStoreDir = (): TempStoreDir => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-unit-store-'));
  return {
    dir,
    file: join(dir, `${STORE_NAME}.json`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};

/** conf 15 with the options the app's electron-store uses: never silently clear a bad file. */
export const createConfKv = (dir: string): KeyValueStore =>
  new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: STORE_NAME,
    ...STORE_FILE_OPTIONS,
  });

export interface OpenedConfStore {
  readonly opened: OpenedStore;
  readonly logger: CapturingLogger;
}

export const openConfStore = (
  where: TempStoreDir,
  options: { readonly now?: number; readonly create?: () => KeyValueStore } = {},
): OpenedConfStore => {
  const logger = createCapturingLogger();
  const opened = openStore({
    filePath: where.file,
    create: options.create ?? (() => createConfKv(where.dir)),
    logger,
    now: () => options.now ?? Date.UTC(2025, 5, 1, 12, 30, 45),
  });
  return { opened, logger };
};
