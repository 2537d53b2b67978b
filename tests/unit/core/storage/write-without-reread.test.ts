/**
 * A save writes the store file without reading it first (conf re-reads and parses the whole file
 * on every `store =` unless handed its own `__internal__` entry), and the file it writes is what
 * conf alone would have written: the document, with conf's entry carried over.
 */
import fs, { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyDocument, SCHEMA_VERSION } from '../../../../main/core/storage/store-schema';
import { CONF_INTERNAL_KEY } from '../../../../main/core/storage/write-without-reread';
import {
  createConfKv,
  openConfStore,
  tempStoreDir,
  type TempStoreDir,
} from '../../helpers/conf-store';

let where: TempStoreDir;
beforeEach(() => {
  where = tempStoreDir();
});
afterEach(() => {
  vi.restoreAllMocks();
  where.remove();
});

const readsOf = (file: string, spy: { mock: { calls: unknown[][] } }): number =>
  spy.mock.calls.filter(([path]) => path === file).length;

const settings = (clipboardClearSeconds: number) => ({
  ...emptyDocument(),
  settings: { ...emptyDocument().settings, clipboardClearSeconds },
});

describe('saving the store', () => {
  it('writes without reading the file back first', () => {
    const { opened } = openConfStore(where);
    const reads = vi.spyOn(fs, 'readFileSync');

    opened.kv.store = settings(30);

    expect(readsOf(where.file, reads)).toBe(0);
    expect(JSON.parse(readFileSync(where.file, 'utf8'))).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      settings: { clipboardClearSeconds: 30 },
    });
  });

  it('is a read that conf alone would make (the test can tell)', () => {
    openConfStore(where);
    const bare = createConfKv(where.dir);
    const reads = vi.spyOn(fs, 'readFileSync');

    bare.store = settings(30);

    expect(readsOf(where.file, reads)).toBeGreaterThan(0);
  });

  it('keeps conf’s own entry in the file, as conf would', () => {
    const internal = { migrations: { version: '1.2.3' } };
    writeFileSync(
      where.file,
      JSON.stringify({ ...emptyDocument(), [CONF_INTERNAL_KEY]: internal }),
    );
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();

    opened.kv.store = settings(45);
    opened.kv.store = settings(60);

    const file = JSON.parse(readFileSync(where.file, 'utf8')) as Record<string, unknown>;
    expect(file[CONF_INTERNAL_KEY]).toEqual(internal);
    expect(file).toMatchObject({ settings: { clipboardClearSeconds: 60 } });
    // The store schema does not know the entry: reopening reads the same document.
    expect(openConfStore(where).opened.document.settings.clipboardClearSeconds).toBe(60);
  });
});
