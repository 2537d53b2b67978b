/**
 * Opens the store file and decides its fate before anything is written:
 *
 * - usable (migrated from an older schema if need be, after keeping a copy of the old file):
 *   opened, and kept as the last good copy;
 * - written by a newer Tokendesk, or unreadable (EACCES, EIO …): left exactly as it is and opened
 *   read-only — no data shown, nothing written, the status says why;
 * - corrupt (not JSON, not a JSON object, not valid): moved aside with its bytes intact, and the
 *   best copy this Tokendesk can use (the last good one, else one kept before a migration) put
 *   back in its place; with no such copy, the app starts empty. Either way the status says so.
 */
import { dirname } from 'node:path';
import type { StorageReadOnly, StorageRecovery } from '../../../shared/model';
import type { KeyValueStore, Logger } from '../ports';
import {
  nodeStoreFs,
  PRIVATE_FILE_MODE,
  PRIVATE_FOLDER_MODE,
  removeStaleTempFiles,
  restrictMode,
  writeFileDurably,
  type StoreFs,
} from './durable-file';
import { readOnlyKv } from './read-only-kv';
import { contentProblem, parseStoreText, understand } from './store-content';
import {
  findRestorableCopy,
  keepCopy,
  lastGoodCopyPath,
  preMigrationCopyPath,
  scrubCopies,
  scrubsCopiesOnWrite,
} from './store-copies';
import { emptyDocument, SCHEMA_VERSION, type StoreDocument } from './store-schema';
import { writesWithoutReread } from './write-without-reread';
import { messageOf } from '../../../shared/errors';

export interface OpenedStore {
  readonly kv: KeyValueStore;
  readonly document: StoreDocument;
  readonly recovered?: StorageRecovery;
  readonly readOnly?: StorageReadOnly;
}

export interface OpenStoreOptions {
  /** The file behind the store, to move aside when it is corrupt. */
  readonly filePath: string;
  /**
   * Builds the key-value store (electron-store in the app, conf in tests) on that file; called
   * only once the file is known to be usable or absent. May throw on a bad file.
   */
  readonly create: () => KeyValueStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** This Tokendesk's version: recorded in what it saves, named when a newer one wrote the file. */
  readonly appVersion?: string;
  /** node:fs, or a fake in tests (read errors, short writes). */
  readonly fs?: StoreFs;
}

const errnoCode = (error: unknown): string | undefined =>
  (error as NodeJS.ErrnoException | undefined)?.code;

type OnDisk =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'present'; readonly bytes: Buffer };

const readStoreFile = (file: string, fs: StoreFs): OnDisk => {
  try {
    return { kind: 'present', bytes: fs.readFileSync(file) };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unreadable', reason: messageOf(error) };
  }
};

const READ_ONLY_HINT: Record<StorageReadOnly['cause'], string> = {
  'newer-version': 'Start that newer Tokendesk to use your accounts.',
  'file-error': 'Fix the file (its permissions, the disk) and start Tokendesk again.',
};

/** What the store returns when it was opened usable, or why it could not be used. */
type Attempt = OpenedStore | { readonly unusable: string };

export const openStore = (options: OpenStoreOptions): OpenedStore => {
  const fs = options.fs ?? nodeStoreFs;
  const file = options.filePath;
  const { logger } = options;
  const stamped = (document: StoreDocument): StoreDocument =>
    options.appVersion === undefined ? document : { ...document, writtenBy: options.appVersion };

  const readOnly = (cause: StorageReadOnly['cause'], reason: string): OpenedStore => {
    logger.error('store file left as it is; nothing is saved this session', {
      file,
      cause,
      reason,
    });
    return {
      kv: readOnlyKv(
        `Tokendesk left its data file as it is and saves nothing this session: ${reason}. ${READ_ONLY_HINT[cause]}`,
      ),
      document: emptyDocument(),
      readOnly: { cause, file, reason },
    };
  };

  /** The folder 0700, the file 0600 (older versions created it 0644). Never a shared folder. */
  const restrictModes = (): void => {
    try {
      const folder = dirname(file);
      // A sticky folder is a shared one (/tmp): it is not ours to close.
      const sticky = (fs.statSync(folder).mode & 0o1000) !== 0;
      if (!sticky) restrictMode(folder, PRIVATE_FOLDER_MODE, fs);
      restrictMode(file, PRIVATE_FILE_MODE, fs);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT')
        logger.warn('could not make the store private', { reason: messageOf(error) });
    }
  };

  /** After a usable open: the file as it is now becomes the last good copy. */
  const keepLastGood = (): void => {
    try {
      keepCopy(lastGoodCopyPath(file), fs.readFileSync(file), fs);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT')
        logger.warn('could not keep a copy of the store', { reason: messageOf(error) });
    }
  };

  /**
   * Opens the store on the file's parsed content `raw` (from `bytes`), or, with no file, on what
   * the store holds. The store is created only once the content is known not to be a newer
   * version's.
   */
  const openUsable = (bytes?: Buffer, raw?: Record<string, unknown>): Attempt => {
    let loaded = raw === undefined ? undefined : understand(raw, options.appVersion);
    if (loaded?.kind === 'newer') return readOnly('newer-version', loaded.reason);
    if (loaded?.kind === 'corrupt') return { unusable: loaded.reason };
    let kv: KeyValueStore;
    let content: Record<string, unknown>;
    try {
      kv = options.create();
      content = raw ?? { ...kv.store };
    } catch (error) {
      const problem = contentProblem(error);
      if (problem !== undefined) return { unusable: problem };
      return readOnly('file-error', `it could not be opened (${messageOf(error)})`);
    }
    loaded ??= understand(content, options.appVersion);
    if (loaded.kind === 'newer') return readOnly('newer-version', loaded.reason);
    if (loaded.kind === 'corrupt') return { unusable: loaded.reason };

    const migrated = loaded.fromVersion !== SCHEMA_VERSION;
    if (migrated && bytes !== undefined) {
      try {
        keepCopy(preMigrationCopyPath(file, loaded.fromVersion), bytes, fs);
      } catch (error) {
        return readOnly(
          'file-error',
          `a copy of it could not be kept before updating its format (${messageOf(error)})`,
        );
      }
    }
    const writable = writesWithoutReread(kv, content);
    const document = stamped(loaded.document);
    if (migrated) {
      try {
        writable.store = document;
      } catch (error) {
        // The old file is intact and migrates again next time; the next save writes it all.
        logger.warn('could not save the migrated store yet', { reason: messageOf(error) });
      }
    }
    restrictModes();
    // Only this process writes here (one instance runs), so a temp file is a crashed save's.
    removeStaleTempFiles(file, fs);
    keepLastGood();
    const secretsOnDisk = new Set(Object.keys(document.secrets));
    try {
      // A copy may still hold secrets the store dropped while that removal failed (a full
      // disk): it is done now.
      scrubCopies(file, secretsOnDisk, fs);
    } catch (error) {
      logger.warn('could not remove dropped secrets from the store’s copies', {
        reason: messageOf(error),
      });
    }
    return { kv: scrubsCopiesOnWrite(writable, document, { file, fs, logger }), document };
  };

  /** A fresh, empty store in place of a corrupt one nothing could be restored from. */
  const startEmpty = (): OpenedStore => {
    let kv: KeyValueStore;
    try {
      kv = options.create();
    } catch (error) {
      return readOnly('file-error', `it could not be created (${messageOf(error)})`);
    }
    const writable = writesWithoutReread(kv, {});
    const document = stamped(emptyDocument());
    try {
      writable.store = document;
    } catch (error) {
      logger.warn('could not save the new, empty store yet', { reason: messageOf(error) });
    }
    restrictModes();
    return { kv: writable, document };
  };

  const freeName = (base: string): string => {
    for (let n = 0; ; n++) {
      const name = n === 0 ? base : `${base}-${n}`;
      try {
        fs.statSync(name);
      } catch {
        return name;
      }
    }
  };

  const recover = (reason: string): OpenedStore => {
    const stamp = new Date(options.now()).toISOString().replaceAll(':', '-');
    const movedTo = freeName(`${file}.corrupt-${stamp}`);
    try {
      fs.renameSync(file, movedTo);
      restrictMode(movedTo, PRIVATE_FILE_MODE, fs);
    } catch (error) {
      // Not there (a store with no file behind it, in tests): nothing to move.
      if (errnoCode(error) !== 'ENOENT')
        return readOnly(
          'file-error',
          `it is unusable (${reason}) and could not be moved aside (${messageOf(error)})`,
        );
    }
    const copy = findRestorableCopy(file, fs);
    logger.error('store file unusable; moved aside', {
      movedTo,
      reason,
      restoredFrom: copy?.path ?? 'nothing: starting empty',
    });
    if (copy !== undefined) {
      try {
        writeFileDurably(file, copy.bytes, { fs });
        const restored = openUsable(copy.bytes, parseStoreText(copy.bytes.toString('utf8')));
        if ('document' in restored)
          return {
            ...restored,
            recovered: {
              movedTo,
              reason,
              restoredFrom: { path: copy.path, savedAt: copy.savedAt },
            },
          };
      } catch (error) {
        logger.error('could not restore the copy; starting empty', { reason: messageOf(error) });
      }
    }
    const empty = startEmpty();
    return empty.readOnly ? empty : { ...empty, recovered: { movedTo, reason } };
  };

  const onDisk = readStoreFile(file, fs);
  if (onDisk.kind === 'unreadable')
    return readOnly('file-error', `it could not be read (${onDisk.reason})`);
  let attempt: Attempt;
  if (onDisk.kind === 'present') {
    let raw: Record<string, unknown>;
    try {
      raw = parseStoreText(onDisk.bytes.toString('utf8'));
    } catch (error) {
      return recover(contentProblem(error) ?? messageOf(error));
    }
    attempt = openUsable(onDisk.bytes, raw);
  } else {
    attempt = openUsable();
  }
  return 'unusable' in attempt ? recover(attempt.unusable) : attempt;
};
