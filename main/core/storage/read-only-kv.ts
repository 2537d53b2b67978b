/**
 * The store when Tokendesk must not write its data file (one a newer Tokendesk wrote, or one it
 * cannot read): nothing is opened for writing, every write is refused with the reason, and the
 * repository turns that into a storage/0 answer that says why.
 */
import type { KeyValueStore } from '../ports';

export class ReadOnlyStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlyStoreError';
  }
}

export const readOnlyKv = (message: string): KeyValueStore => {
  const refuse = (): never => {
    throw new ReadOnlyStoreError(message);
  };
  return {
    get: () => undefined,
    set: refuse,
    delete: refuse,
    has: () => false,
    get store() {
      return {};
    },
    set store(_value) {
      refuse();
    },
  };
};
