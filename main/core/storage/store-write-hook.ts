/**
 * A key-value store whose whole-document write (`store = …`, the one write the repository makes)
 * goes through `write`, everything else straight to `kv`. The store's write-path decorators
 * (write-without-reread.ts, store-copies.ts) are this with their own `write`.
 */
import type { KeyValueStore } from '../ports';

export const hookStoreWrite = (
  kv: KeyValueStore,
  write: (
    value: Record<string, unknown>,
    writeThrough: (value: Record<string, unknown>) => void,
  ) => void,
): KeyValueStore => ({
  get: (key) => kv.get(key),
  set: kv.set.bind(kv),
  delete: (key) => kv.delete(key),
  has: (key) => kv.has(key),
  get store() {
    return kv.store;
  },
  set store(value) {
    write(value, (next) => {
      kv.store = next;
    });
  },
});
