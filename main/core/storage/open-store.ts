/**
 * Opens the store file, migrates it, and survives a corrupt one: an unreadable or invalid file is
 * moved aside (kept, never deleted), the fact is reported, and the app starts empty.
 */
import { existsSync, renameSync } from 'node:fs';
import type { z } from 'zod';
import type { KeyValueStore, Logger } from '../ports';
import {
  emptyDocument,
  MIGRATIONS,
  SCHEMA_VERSION,
  storeDocument,
  type StoreDocument,
} from './store-schema';
import { writesWithoutReread } from './write-without-reread';

export interface OpenedStore {
  readonly kv: KeyValueStore;
  readonly document: StoreDocument;
  readonly recovered?: { readonly movedTo: string; readonly reason: string };
}

export interface OpenStoreOptions {
  /** The file behind the store, to move aside when it cannot be used. */
  readonly filePath: string;
  /** Builds the key-value store (electron-store in the app, conf in tests); may throw on a bad file. */
  readonly create: () => KeyValueStore;
  readonly logger: Logger;
  readonly now: () => number;
}

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');

type Loaded =
  { ok: true; document: StoreDocument; migrated: boolean } | { ok: false; reason: string };

const migrate = (raw: Record<string, unknown>): Loaded => {
  const version = raw.schemaVersion === undefined ? 0 : raw.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, reason: 'the schema version is not a number' };
  }
  if (version > SCHEMA_VERSION) {
    return { ok: false, reason: `it was written by a newer Tokendesk (schema ${version})` };
  }
  let doc = raw;
  for (let v = version; v < SCHEMA_VERSION; v++) doc = MIGRATIONS[v]!(doc);
  const parsed = storeDocument.safeParse(doc);
  if (!parsed.success)
    return { ok: false, reason: `its content is not valid (${describeIssues(parsed.error)})` };
  return { ok: true, document: parsed.data, migrated: version !== SCHEMA_VERSION };
};

export const openStore = (options: OpenStoreOptions): OpenedStore => {
  const moveAside = (reason: string): { movedTo: string; reason: string } => {
    const movedTo = `${options.filePath}.corrupt-${new Date(options.now()).toISOString().replaceAll(':', '-')}`;
    if (existsSync(options.filePath)) renameSync(options.filePath, movedTo);
    options.logger.error('store file unusable; moved aside and starting empty', {
      movedTo,
      reason,
    });
    return { movedTo, reason };
  };

  let kv: KeyValueStore;
  try {
    kv = options.create();
  } catch (error) {
    const recovered = moveAside(
      `it could not be read (${error instanceof Error ? error.message : String(error)})`,
    );
    kv = options.create();
    const document = emptyDocument();
    kv.set({ ...document });
    return { kv: writesWithoutReread(kv, {}), document, recovered };
  }

  const raw = { ...kv.store };
  const loaded = migrate(raw);
  if (loaded.ok) {
    if (loaded.migrated) kv.set({ ...loaded.document });
    return { kv: writesWithoutReread(kv, raw), document: loaded.document };
  }
  const recovered = moveAside(loaded.reason);
  // The store object still holds the bad content in memory; start over on a fresh file.
  kv = options.create();
  for (const key of Object.keys(kv.store)) kv.delete(key);
  const document = emptyDocument();
  kv.set({ ...document });
  return { kv: writesWithoutReread(kv, {}), document, recovered };
};
