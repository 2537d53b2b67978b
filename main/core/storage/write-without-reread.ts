/**
 * conf (and electron-store, built on it) keeps an `__internal__` entry of its own in the file.
 * Assigning `store` a document without that entry makes conf read and parse the whole file again
 * first, only to carry the entry over: 4.6 ms of a 16.5 ms save on a 1000-account store, on the
 * main thread, for every refresh. Handing conf the entry it already has (read once, at open)
 * writes the same file without that read.
 */
import type { KeyValueStore } from '../ports';
import { hookStoreWrite } from './store-write-hook';

/** conf's name for its own bookkeeping (migrations); unknown to the store schema, which drops it. */
export const CONF_INTERNAL_KEY = '__internal__';

export const writesWithoutReread = (
  kv: KeyValueStore,
  raw: Readonly<Record<string, unknown>>,
): KeyValueStore => {
  const current = raw[CONF_INTERNAL_KEY];
  const internal = typeof current === 'object' && current !== null ? current : {};
  return hookStoreWrite(kv, (value, writeThrough) =>
    writeThrough({ ...value, [CONF_INTERNAL_KEY]: internal }),
  );
};
