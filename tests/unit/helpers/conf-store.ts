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
import type { StoreFs } from '../../../main/core/storage/durable-file';
import { withDurableWrites } from '../../../main/core/storage/durable-store-writes';
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

/**
 * conf 15 with the options and the durable write path the app's electron-store has: never
 * silently clear a bad file, every byte on disk or an error. `fs` stands in for node:fs in the
 * writes (short writes).
 */
export const createConfKv = (dir: string, fs?: StoreFs): KeyValueStore =>
  withDurableWrites(
    new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: STORE_NAME,
      ...STORE_FILE_OPTIONS,
    }),
    fs,
  );

export interface OpenedConfStore {
  readonly opened: OpenedStore;
  readonly logger: CapturingLogger;
}

export const openConfStore = (
  where: TempStoreDir,
  options: {
    readonly now?: number;
    readonly create?: () => KeyValueStore;
    readonly fs?: StoreFs;
    readonly appVersion?: string;
  } = {},
): OpenedConfStore => {
  const logger = createCapturingLogger();
  const opened = openStore({
    filePath: where.file,
    create: options.create ?? (() => createConfKv(where.dir, options.fs)),
    logger,
    now: () => options.now ?? Date.UTC(2025, 5, 1, 12, 30, 45),
    ...(options.fs ? { fs: options.fs } : {}),
    ...(options.appVersion ? { appVersion: options.appVersion } : {}),
  });
  return { opened, logger };
};
