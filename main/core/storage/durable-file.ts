/**
 * Writing a whole file so that it is either entirely the new content or still the old one, even
 * on a full disk or across a crash: every byte to a temp file beside it (a short write goes on
 * until all is written, or fails), fsync the temp file, rename it over the old one, fsync the
 * folder so the rename itself is on disk. Any failure removes the temp file and throws; the old
 * file is untouched.
 *
 * Our own, because the libraries do not: conf's engine (atomically 2.1.1) makes one `writeSync`
 * and ignores a short count, so a full disk left a truncated store answered as saved; neither it
 * nor write-file-atomic fsyncs the folder.
 */
import nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The store, its copies and window state are the user's alone. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** The file-system calls the storage code makes: node:fs, or a fake in tests (short writes). */
export interface StoreFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readFileSync(path: string): Buffer;
  chmodSync(path: string, mode: number): void;
  mkdirSync(path: string, options: { recursive: true; mode: number }): unknown;
  statSync(path: string): { readonly mtimeMs: number; readonly mode: number };
  readdirSync(path: string): string[];
}

/** node:fs's own object, so a test's spy on it is seen here too. */
export const nodeStoreFs: StoreFs = nodeFs;

const errnoError = (code: string, message: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${message}`), { code });

const quietly = (action: () => void): void => {
  try {
    action();
  } catch {
    // Clean-up after a failure: the failure itself is what the caller hears about.
  }
};

/** Writes every byte of `bytes` at the file's current position, or throws. */
const writeAll = (fs: StoreFs, fd: number, bytes: Uint8Array): void => {
  for (let offset = 0; offset < bytes.length;) {
    const written = fs.writeSync(fd, bytes, offset, bytes.length - offset);
    // A write that makes no progress would loop for ever: the disk is full in all but name.
    if (!(written > 0))
      throw errnoError('ENOSPC', `only ${offset} of ${bytes.length} bytes could be written`);
    offset += written;
  }
};

/** Errors a rename gets while another program (an antivirus, an indexer) holds the file. */
const TRANSIENT_RENAME = new Set(['EPERM', 'EACCES', 'EBUSY']);
const RENAME_TRIES = 5;
const RENAME_PAUSE_MS = 20;

/**
 * Renames, trying again a few times over about 100 ms when the target is held open elsewhere
 * (Windows refuses to replace such a file; atomically, which this replaces, retried too).
 */
const renameWithRetry = (fs: StoreFs, from: string, to: string): void => {
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (attempt >= RENAME_TRIES || !TRANSIENT_RENAME.has(code)) throw error;
      // A synchronous pause: the save is synchronous, as conf's is.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RENAME_PAUSE_MS);
    }
  }
};

/** fsync of a folder: makes a rename in it durable. Windows cannot open folders (nor needs to). */
const syncFolder = (fs: StoreFs, folder: string): void => {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
};

export interface DurableWriteOptions {
  readonly fs?: StoreFs;
  readonly mode?: number;
}

export const writeFileDurably = (
  path: string,
  data: string | Uint8Array,
  options: DurableWriteOptions = {},
): void => {
  const fs = options.fs ?? nodeStoreFs;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  // 'wx': a fresh file of our own, never someone's link; created private, never widened later.
  const fd = fs.openSync(temp, 'wx', options.mode ?? PRIVATE_FILE_MODE);
  let open = true;
  try {
    writeAll(fs, fd, bytes);
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    renameWithRetry(fs, temp, path);
  } catch (error) {
    if (open) quietly(() => fs.closeSync(fd));
    quietly(() => fs.unlinkSync(temp));
    throw error;
  }
  syncFolder(fs, dirname(path));
};

/** Sets a file's or folder's mode, if it exists: older versions created the store 0644. */
export const restrictMode = (path: string, mode: number, fs: StoreFs = nodeStoreFs): void => {
  if (process.platform === 'win32') return;
  try {
    fs.chmodSync(path, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
};

/** Temp files of saves that never finished (a crash, a power cut): `<name>.tmp-…` beside it. */
export const removeStaleTempFiles = (path: string, fs: StoreFs = nodeStoreFs): void => {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(prefix)) {
      try {
        fs.unlinkSync(join(dirname(path), name));
      } catch {
        // Gone already, or not ours to remove: the next start tries again.
      }
    }
};
