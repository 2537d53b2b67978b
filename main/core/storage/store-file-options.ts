/**
 * The options the app's electron-store and the tests' conf open the store file with, so the
 * tests and the benchmarks measure the file the app writes.
 */
export const STORE_NAME = 'tokendesk';

export const STORE_FILE_OPTIONS = {
  // A corrupt file must throw, so openStore can move it aside instead of the library silently
  // wiping it.
  clearInvalidConfig: false,
  // Compact JSON: the file is mostly ciphertext that nobody reads by hand, and conf's default
  // tab-indented output costs time on every save of a large store.
  serialize: (value: unknown): string => JSON.stringify(value),
} as const;
