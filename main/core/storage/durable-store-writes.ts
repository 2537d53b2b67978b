/**
 * electron-store stays the store the app opens (and conf, its engine, in tests); only the way its
 * bytes reach the disk changes. conf writes through its `_write(value)` method (serialize, then
 * atomically's writeFileSync, which ignores a short write) and creates the folder with
 * `_ensureDirectory()` at the default mode. Both are replaced on the instance: the serialized
 * document goes through writeFileDurably (every byte or an error; fsync, rename, fsync folder;
 * 0600), and the folder is created 0700.
 *
 * conf's encryption (`encryptionKey`) happens inside the `_write` replaced here, and Tokendesk does
 * not use it (secrets are ciphertext from the OS keyring; docs/SECURITY.md).
 */
import { dirname } from 'node:path';
import {
  nodeStoreFs,
  PRIVATE_FILE_MODE,
  PRIVATE_FOLDER_MODE,
  writeFileDurably,
  type StoreFs,
} from './durable-file';

/** The parts of a conf (or electron-store) instance this relies on; conf declares them private. */
interface ConfWritePath {
  readonly path: string;
  _serialize(value: unknown): string;
  _write(value: unknown): void;
  _ensureDirectory(): void;
}

const hasConfWritePath = (store: object): store is ConfWritePath => {
  const candidate = store as Partial<Record<keyof ConfWritePath, unknown>>;
  return (
    typeof candidate.path === 'string' &&
    typeof candidate._serialize === 'function' &&
    typeof candidate._write === 'function' &&
    typeof candidate._ensureDirectory === 'function'
  );
};

export const withDurableWrites = <S extends object>(store: S, fs: StoreFs = nodeStoreFs): S => {
  // A conf upgrade that renames these must fail loudly here, not fall back to the unsafe write.
  if (!hasConfWritePath(store))
    throw new Error('the store library no longer has the write path Tokendesk replaces');
  const { path } = store;
  const serialize = (value: unknown): string => store._serialize(value);
  Object.defineProperties(store, {
    _write: {
      value: (value: unknown): void =>
        writeFileDurably(path, serialize(value), { fs, mode: PRIVATE_FILE_MODE }),
    },
    _ensureDirectory: {
      value: (): void => {
        fs.mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_FOLDER_MODE });
      },
    },
  });
  return store;
};
