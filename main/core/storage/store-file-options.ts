/**
 * The options the app's electron-store and the tests' conf open the store file with, so the
 * tests and the benchmarks measure the file the app writes. Every such store is also given
 * `withDurableWrites` (durable-store-writes.ts): options cannot change how conf writes.
 */
import { PRIVATE_FILE_MODE } from './durable-file';
import { parseStoreText } from './store-content';

export const STORE_NAME = 'tokendesk';

export const STORE_FILE_OPTIONS = {
  // A corrupt file must throw, so openStore can move it aside instead of the library silently
  // wiping it.
  clearInvalidConfig: false,
  // Compact JSON: the file is mostly ciphertext that nobody reads by hand, and conf's default
  // tab-indented output costs time on every save of a large store.
  serialize: (value: unknown): string => JSON.stringify(value),
  // conf would turn `null` into {} and `[1,2]` into {"0":1,"1":2}: such a file is corrupt.
  deserialize: parseStoreText,
  // What conf's own write would use; the durable write creates the file 0600 itself.
  configFileMode: PRIVATE_FILE_MODE,
} as const;
