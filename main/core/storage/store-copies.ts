/**
 * Copies of the store kept beside it, so a corrupt file does not mean every account lost: the
 * last good one (written after each open that found the file usable) and one kept before each
 * migration (the file as the older format had it). Each is a whole durable write, 0600, and is
 * only ever replaced by a file that was itself understood.
 *
 * A copy never keeps a secret the store has dropped: when a write removes ciphertext (the user
 * opted out of weak storage, disconnected an account, deleted a provider), the same keys go from
 * every copy. A secret the store replaced (a rotated refresh token) stays in the copies under its
 * key: that is what a restore brings back, and with providers that do not rotate it still works.
 */
import { basename, dirname } from 'node:path';
import type { KeyValueStore, Logger } from '../ports';
import { writeFileDurably, type StoreFs } from './durable-file';
import { parseStoreText, understandText } from './store-content';
import { hookStoreWrite } from './store-write-hook';
import { messageOf } from '../../../shared/errors';

/** `tokendesk.json.last-good`: the file as the last successful open found (or migrated) it. */
export const lastGoodCopyPath = (file: string): string => `${file}.last-good`;

/** `tokendesk.json.schema-2`: the file as it was before it was migrated from schema 2. */
export const preMigrationCopyPath = (file: string, version: number): string =>
  `${file}.schema-${version}`;

/** Keeps `bytes` at `path`, unless the copy there already holds exactly them. */
export const keepCopy = (path: string, bytes: Buffer, fs: StoreFs): void => {
  try {
    if (fs.readFileSync(path).equals(bytes)) return;
  } catch {
    // No copy yet (or an unreadable one): write it.
  }
  writeFileDurably(path, bytes, { fs });
};

/** The copies that could stand in for `file`, best first: the last good, then by schema, newest first. */
const candidates = (file: string, fs: StoreFs): string[] => {
  const prefix = `${basename(file)}.schema-`;
  let names: string[];
  try {
    names = fs.readdirSync(dirname(file));
  } catch {
    names = [];
  }
  const versions = names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => b - a);
  return [lastGoodCopyPath(file), ...versions.map((v) => preMigrationCopyPath(file, v))];
};

export interface RestorableCopy {
  readonly path: string;
  readonly bytes: Buffer;
  /** When the copy was written (its modification time), epoch ms. */
  readonly savedAt: number;
}

/** The best copy this Tokendesk can open as it is or by migrating it; undefined if none. */
export const findRestorableCopy = (file: string, fs: StoreFs): RestorableCopy | undefined => {
  for (const path of candidates(file, fs)) {
    let bytes: Buffer;
    let savedAt: number;
    try {
      bytes = fs.readFileSync(path);
      savedAt = fs.statSync(path).mtimeMs;
    } catch {
      continue;
    }
    if (understandText(bytes.toString('utf8')).kind === 'usable') return { path, bytes, savedAt };
  }
  return undefined;
};

const secretKeys = (doc: Readonly<Record<string, unknown>>): Set<string> => {
  const { secrets } = doc;
  return typeof secrets === 'object' && secrets !== null && !Array.isArray(secrets)
    ? new Set(Object.keys(secrets))
    : new Set();
};

/** Removes from every copy of `file` the secrets whose key is not in `keep`. */
export const scrubCopies = (file: string, keep: ReadonlySet<string>, fs: StoreFs): void => {
  for (const path of candidates(file, fs)) {
    let doc: Record<string, unknown>;
    try {
      doc = parseStoreText(fs.readFileSync(path).toString('utf8'));
    } catch {
      continue;
    }
    const had = secretKeys(doc);
    if ([...had].every((key) => keep.has(key))) continue;
    const secrets = Object.fromEntries(
      Object.entries(doc.secrets as Record<string, unknown>).filter(([key]) => keep.has(key)),
    );
    writeFileDurably(path, JSON.stringify({ ...doc, secrets }), { fs });
  }
};

/**
 * The store, with every write that drops a secret key followed by the same drop in the copies.
 * A copy that cannot be rewritten is logged: the store itself was written.
 */
export const scrubsCopiesOnWrite = (
  kv: KeyValueStore,
  document: Readonly<Record<string, unknown>>,
  options: { readonly file: string; readonly fs: StoreFs; readonly logger: Logger },
): KeyValueStore => {
  let stored = secretKeys(document);
  return hookStoreWrite(kv, (value, writeThrough) => {
    writeThrough(value);
    const now = secretKeys(value);
    const dropped = [...stored].some((key) => !now.has(key));
    stored = now;
    if (!dropped) return;
    try {
      scrubCopies(options.file, now, options.fs);
    } catch (error) {
      options.logger.warn('could not remove dropped secrets from the store’s copies', {
        reason: messageOf(error),
      });
    }
  });
};
