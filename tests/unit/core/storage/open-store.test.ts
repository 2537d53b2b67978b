/**
 * Opening the store file with real conf. A usable file is opened (an old one migrated, after a
 * copy of it is kept) and kept as the last good copy. A file a newer Tokendesk wrote, or one that
 * cannot be read, is left exactly as it is: nothing is written, and the status says why. Only a
 * corrupt file (not JSON, not a JSON object, not valid) is moved aside with its bytes intact, and
 * the last good copy comes back in its place; with no copy, the app starts empty.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreFailure } from '../../../../main/core/core-failure';
import { nodeStoreFs, type StoreFs } from '../../../../main/core/storage/durable-file';
import { Repository } from '../../../../main/core/storage/repository';
import {
  DEFAULT_CLIPBOARD_CLEAR_SECONDS,
  emptyDocument,
  SCHEMA_VERSION,
} from '../../../../main/core/storage/store-schema';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { createCapturingLogger } from '../../helpers/capturing-logger';
import { openConfStore, tempStoreDir, type TempStoreDir } from '../../helpers/conf-store';

let where: TempStoreDir;
beforeEach(() => {
  where = tempStoreDir();
});
afterEach(() => where.remove());

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

const files = (): string[] => readdirSync(where.dir).sort();
const lastGood = (): string => `${where.file}.last-good`;

const validProvider = {
  id: 'github',
  presetId: 'github',
  label: 'GitHub',
  clientId: 'Iv1.abc',
  clientAuth: 'client_secret_post',
  scopes: ['read:user'],
  consentMode: 'embedded',
  createdAt: 1,
  updatedAt: 1,
};

const withProvider = (clientId = 'Iv1.abc') =>
  JSON.stringify({ ...emptyDocument(), providers: { github: { ...validProvider, clientId } } });

const expectStartedEmpty = (document: object): void => {
  expect(document).toEqual(emptyDocument());
  // …and the file on disk says so too, so the next start does not trip over the same problem.
  expect(readJson(where.file)).toMatchObject(emptyDocument());
};

const errorOf = async (action: () => Promise<unknown>): Promise<CoreFailure> => {
  const error = await action().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CoreFailure);
  return error as CoreFailure;
};

describe('openStore: a usable file', () => {
  it('starts empty and writes a versioned file when there is none', () => {
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(opened.readOnly).toBeUndefined();
    expectStartedEmpty(opened.document);
  });

  it('loads a valid file as it is, without moving or rewriting it, and keeps a copy of it', () => {
    const content = JSON.stringify(
      { ...emptyDocument(), providers: { github: validProvider } },
      null,
      '\t',
    );
    writeFileSync(where.file, content);
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(opened.document.providers.github?.clientId).toBe('Iv1.abc');
    expect(readFileSync(where.file, 'utf8')).toBe(content);
    expect(files()).toEqual(['store.json', 'store.json.last-good']);
    expect(readFileSync(lastGood(), 'utf8')).toBe(content);
  });

  it('migrates an unversioned file {} to the current version and writes it back', () => {
    writeFileSync(where.file, '{}');
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(opened.document).toEqual(emptyDocument());
    expect(readJson(where.file)).toMatchObject(emptyDocument());
  });

  it('migrates a version-1 file: its content kept, the old file kept as a copy first', () => {
    const v1 = JSON.stringify({
      schemaVersion: 1,
      providers: { github: validProvider },
      accounts: {},
      secrets: { 'client:github': 'cipher' },
      secretProtection: 'gnome_libsecret',
    });
    writeFileSync(where.file, v1);
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(opened.document.providers.github).toEqual(validProvider);
    expect(opened.document.secrets).toEqual({ 'client:github': 'cipher' });
    expect(opened.document.secretProtection).toBe('gnome_libsecret');
    expect(readJson(where.file)).toMatchObject({ schemaVersion: SCHEMA_VERSION });
    expect(readFileSync(`${where.file}.schema-1`, 'utf8')).toBe(v1);
    // The last good copy is the migrated file.
    expect(readFileSync(lastGood(), 'utf8')).toBe(readFileSync(where.file, 'utf8'));
  });

  it('keeps the content of an unversioned file while migrating it', () => {
    writeFileSync(where.file, JSON.stringify({ providers: { github: validProvider } }));
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(opened.document.providers.github).toEqual(validProvider);
    expect(readJson(where.file)).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      providers: { github: validProvider },
    });
  });

  it('removes the temp file a save left when the app stopped halfway (it may hold ciphertext)', () => {
    writeFileSync(where.file, withProvider());
    writeFileSync(`${where.file}.tmp-3f9a1c0d2e4b`, '{"secrets":{"account:a":"tb1:half');
    openConfStore(where);
    expect(files()).toEqual(['store.json', 'store.json.last-good']);
  });

  it('records the version of Tokendesk that saves it', () => {
    const { opened } = openConfStore(where, { appVersion: '1.4.0' });
    const repo = new Repository(
      opened.kv,
      opened.document,
      createTestSecretBox(),
      { persist: true, protection: 'test-aes-gcm' },
      createCapturingLogger(),
    );
    repo.saveSettings({ ...repo.settings(), clipboardClearSeconds: 30 });
    expect(readJson(where.file)).toMatchObject({ writtenBy: '1.4.0' });
  });
});

describe('openStore: clearing the clipboard is on by default', () => {
  it('clears after 90 s in a new store', () => {
    const { opened } = openConfStore(where);
    expect(DEFAULT_CLIPBOARD_CLEAR_SECONDS).toBe(90);
    expect(opened.document.settings.clipboardClearSeconds).toBe(90);
  });

  it.each([
    ['a version-1 store (no settings at all)', { schemaVersion: 1 }],
    [
      'a version-2 store that never chose (null was the default)',
      { schemaVersion: 2, settings: { persistWeakSecrets: false, clipboardClearSeconds: null } },
    ],
  ])('clears after 90 s in %s', (_name, fields) => {
    writeFileSync(
      where.file,
      JSON.stringify({ providers: {}, accounts: {}, secrets: {}, ...fields }),
    );
    const { opened } = openConfStore(where);
    expect(opened.document.settings.clipboardClearSeconds).toBe(90);
    expect(readJson(where.file)).toMatchObject({ settings: { clipboardClearSeconds: 90 } });
  });

  it('keeps a delay a version-2 user chose', () => {
    writeFileSync(
      where.file,
      JSON.stringify({
        schemaVersion: 2,
        providers: {},
        accounts: {},
        secrets: {},
        settings: { persistWeakSecrets: true, clipboardClearSeconds: 45 },
      }),
    );
    const { opened } = openConfStore(where);
    // A file written before the command line existed reads with its access off.
    expect(opened.document.settings).toEqual({
      persistWeakSecrets: true,
      clipboardClearSeconds: 45,
      commandLineAccess: false,
      registryAccounts: {},
    });
  });

  it('keeps "never" once chosen in this version', () => {
    writeFileSync(
      where.file,
      JSON.stringify({
        ...emptyDocument(),
        settings: { persistWeakSecrets: false, clipboardClearSeconds: null },
      }),
    );
    expect(openConfStore(where).opened.document.settings.clipboardClearSeconds).toBeNull();
  });
});

describe('openStore: a corrupt file is moved aside, reported, and the app starts empty when there is no copy', () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['corrupt JSON', '{"schemaVersion":1,"providers":{"github":{"id":"gith', /not valid JSON/],
    ['an empty file', '', /it is empty/],
    ['a file of blanks', ' \n', /it is empty/],
    [
      'a file that does not match the schema',
      JSON.stringify({
        schemaVersion: 1,
        providers: { github: { ...validProvider, presetId: 'myspace', clientId: 42 } },
        accounts: {},
        secrets: {},
      }),
      /not valid/,
    ],
    [
      'a file whose version is not a number',
      JSON.stringify({ schemaVersion: '1', providers: {}, accounts: {}, secrets: {} }),
      /version/,
    ],
    ['null', 'null', /not a JSON object but null/],
    ['an array', '[1,2,3]', /not a JSON object but an array/],
    ['a string', '"str"', /not a JSON object but a string/],
    ['a number', '42', /not a JSON object but a number/],
    ['true', 'true', /not a JSON object but a boolean/],
  ];

  it.each(cases)('handles %s', (_name, content, reason) => {
    writeFileSync(where.file, content);
    const { opened, logger } = openConfStore(where);

    expect(opened.recovered).toBeDefined();
    expect(opened.recovered?.restoredFrom).toBeUndefined();
    expect(opened.readOnly).toBeUndefined();
    const movedTo = opened.recovered?.movedTo ?? '';
    expect(opened.recovered?.reason).toMatch(reason);
    // Kept, next to the original, with the original bytes.
    expect(dirname(movedTo)).toBe(where.dir);
    expect(basename(movedTo)).toMatch(/^store\.json\.corrupt-/);
    expect(readFileSync(movedTo, 'utf8')).toBe(content);

    expectStartedEmpty(opened.document);
    // No junk keys ("0", "1", …) from an array or a string.
    expect(Object.keys(readJson(where.file)).sort()).toEqual(
      [...Object.keys(emptyDocument()), '__internal__'].sort(),
    );
    expect(logger.entries.some((e) => e.level === 'error')).toBe(true);
  });

  it('says where the JSON breaks without quoting the file (it holds ciphertext and e-mail addresses)', () => {
    // V8 would say: Unexpected token ' ', "{"a":tru "alice@ex"... is not valid JSON
    writeFileSync(where.file, '{"a":tru "alice@example.test"}');
    const { opened, logger } = openConfStore(where);
    expect(opened.recovered?.reason).toBe('it is not valid JSON');
    expect(logger.dump()).not.toContain('alice');

    writeFileSync(where.file, '{"mail":"alice@example.test",x}');
    expect(openConfStore(where).opened.recovered?.reason).toBe(
      'it is not valid JSON (from character 29 on)',
    );
  });

  it('names the moved file after the time it was found unusable (no colons, for Windows)', () => {
    writeFileSync(where.file, '{not json');
    const { opened } = openConfStore(where, { now: Date.UTC(2025, 5, 1, 12, 30, 45, 123) });
    expect(basename(opened.recovered?.movedTo ?? '')).toBe(
      'store.json.corrupt-2025-06-01T12-30-45.123Z',
    );
  });

  it('never moves a file over an earlier moved one', () => {
    writeFileSync(where.file, '{first');
    const first = openConfStore(where).opened.recovered?.movedTo;
    writeFileSync(where.file, '{second');
    const second = openConfStore(where).opened.recovered?.movedTo;
    expect(second).not.toBe(first);
    expect(readFileSync(first ?? '', 'utf8')).toBe('{first');
    expect(readFileSync(second ?? '', 'utf8')).toBe('{second');
  });

  it('lets the next start open the fresh file normally', () => {
    writeFileSync(where.file, '{"broken"');
    openConfStore(where);
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(files().filter((name) => name.includes('corrupt'))).toHaveLength(1);
  });
});

describe('openStore: a corrupt file does not mean every account lost', () => {
  it.each([
    ['truncated JSON', '{"schemaVersion":3,"providers":{"github":{"id":"gi'],
    ['null', 'null'],
    ['an array', '[1,2,3]'],
  ])('brings the last good store back in place of %s', (_name, corrupt) => {
    writeFileSync(where.file, withProvider());
    openConfStore(where);
    writeFileSync(where.file, corrupt);

    const { opened } = openConfStore(where, { now: Date.UTC(2026, 0, 2) });

    expect(opened.document.providers.github?.clientId).toBe('Iv1.abc');
    expect(opened.recovered?.restoredFrom?.path).toBe(lastGood());
    expect(opened.recovered?.restoredFrom?.savedAt).toBe(statSync(lastGood()).mtimeMs);
    expect(readFileSync(opened.recovered?.movedTo ?? '', 'utf8')).toBe(corrupt);
    expect(readFileSync(where.file, 'utf8')).toBe(withProvider());
    // The next start is a normal one.
    expect(openConfStore(where).opened.recovered).toBeUndefined();
  });

  it('falls back to the copy kept before a migration when the last good one is unusable too', () => {
    const v1 = JSON.stringify({
      schemaVersion: 1,
      providers: { github: validProvider },
      accounts: {},
      secrets: {},
    });
    writeFileSync(where.file, v1);
    openConfStore(where);
    writeFileSync(lastGood(), '{"also broken');
    writeFileSync(where.file, '{"broken');

    const { opened } = openConfStore(where);

    expect(opened.recovered?.restoredFrom?.path).toBe(`${where.file}.schema-1`);
    expect(opened.document.providers.github).toEqual(validProvider);
    expect(opened.document.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('keeps the last good copy only from a file it understood', () => {
    writeFileSync(where.file, withProvider('first'));
    openConfStore(where);
    writeFileSync(where.file, '{"broken');
    openConfStore(where);
    expect(JSON.parse(readFileSync(lastGood(), 'utf8'))).toMatchObject({
      providers: { github: { clientId: 'first' } },
    });
  });
});

describe('openStore: a file a newer Tokendesk wrote is left as it is', () => {
  const newer = JSON.stringify({
    schemaVersion: SCHEMA_VERSION + 1,
    providers: { github: validProvider },
    accounts: {},
    secrets: {},
    futureField: true,
    writtenBy: '9.1.0',
  });

  it('moves nothing, writes nothing, and says which version wrote it', () => {
    writeFileSync(where.file, newer);
    const { opened } = openConfStore(where, { appVersion: '1.4.0' });

    expect(opened.recovered).toBeUndefined();
    expect(opened.readOnly).toEqual({
      cause: 'newer-version',
      file: where.file,
      reason: `it was written by Tokendesk 9.1.0 (data format ${SCHEMA_VERSION + 1}); Tokendesk 1.4.0 reads data formats up to ${SCHEMA_VERSION}`,
    });
    expect(opened.document).toEqual(emptyDocument());
    expect(readFileSync(where.file, 'utf8')).toBe(newer);
    expect(files()).toEqual(['store.json']);
  });

  it('names the data format when the file does not say which Tokendesk wrote it', () => {
    writeFileSync(where.file, JSON.stringify({ schemaVersion: 7 }));
    expect(openConfStore(where).opened.readOnly?.reason).toBe(
      `it was written by a newer Tokendesk (data format 7); this Tokendesk reads data formats up to ${SCHEMA_VERSION}`,
    );
  });

  it('refuses every save with storage/0 saying why, and the file stays as it was', async () => {
    writeFileSync(where.file, newer);
    const { opened } = openConfStore(where);
    const repo = new Repository(
      opened.kv,
      opened.document,
      createTestSecretBox(),
      { persist: true, protection: 'test-aes-gcm' },
      createCapturingLogger(),
    );

    const failure = await errorOf(async () =>
      repo.saveProvider({ ...validProvider } as never, 's'),
    );

    expect(failure.toApiError()).toMatchObject({ group: 'storage', code: 0 });
    expect(failure.message).toMatch(
      /saves nothing this session: it was written by Tokendesk 9\.1\.0/,
    );
    expect(failure.message).toContain('Start that newer Tokendesk');
    expect(readFileSync(where.file, 'utf8')).toBe(newer);
    // The next start (say, the newer Tokendesk's) finds it as it was.
    expect(openConfStore(where).opened.readOnly?.cause).toBe('newer-version');
  });
});

describe('openStore: a file that cannot be read is an error, not corruption', () => {
  const failingRead = (code: string): StoreFs => ({
    ...nodeStoreFs,
    readFileSync: (path) => {
      if (path === where.file)
        throw Object.assign(new Error(`${code}: cannot read, open '${path}'`), { code });
      return nodeStoreFs.readFileSync(path);
    },
  });

  it.each(['EACCES', 'EIO', 'EPERM'])('leaves the file alone on %s and opens read-only', (code) => {
    writeFileSync(where.file, withProvider());
    openConfStore(where);
    const before = files();

    const { opened } = openConfStore(where, { fs: failingRead(code) });

    expect(opened.recovered).toBeUndefined();
    expect(opened.readOnly).toMatchObject({ cause: 'file-error', file: where.file });
    expect(opened.readOnly?.reason).toMatch(new RegExp(`could not be read \\(${code}`));
    expect(files()).toEqual(before);
    expect(readFileSync(where.file, 'utf8')).toBe(withProvider());
    expect(() => (opened.kv.store = emptyDocument())).toThrow(/saves nothing/);
  });

  it('leaves a folder where the file should be alone (EISDIR), on the real file system', () => {
    mkdirSync(where.file);
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(opened.readOnly?.reason).toMatch(/EISDIR/);
    expect(statSync(where.file).isDirectory()).toBe(true);
    expect(files()).toEqual(['store.json']);
  });
});

describe('openStore: the store and its copies are private', () => {
  const mode = (path: string): number => statSync(path).mode & 0o7777;

  it('creates the store 0600 in a 0700 folder', () => {
    chmodSync(where.dir, 0o755);
    openConfStore(where);
    expect(mode(where.file)).toBe(0o600);
    expect(mode(where.dir)).toBe(0o700);
    expect(mode(lastGood())).toBe(0o600);
  });

  it('closes a store an older version left 0644', () => {
    writeFileSync(where.file, withProvider(), { mode: 0o644 });
    chmodSync(where.file, 0o644);
    openConfStore(where);
    expect(mode(where.file)).toBe(0o600);
  });

  it('keeps the copy before a migration, and a corrupt file moved aside, 0600', () => {
    writeFileSync(
      where.file,
      JSON.stringify({ schemaVersion: 1, providers: {}, accounts: {}, secrets: {} }),
      { mode: 0o644 },
    );
    chmodSync(where.file, 0o644);
    openConfStore(where);
    expect(mode(`${where.file}.schema-1`)).toBe(0o600);

    writeFileSync(where.file, '{broken', { mode: 0o644 });
    chmodSync(where.file, 0o644);
    const movedTo = openConfStore(where).opened.recovered?.movedTo ?? '';
    expect(existsSync(movedTo)).toBe(true);
    expect(mode(movedTo)).toBe(0o600);
    expect(mode(where.file)).toBe(0o600);
  });

  it('leaves a shared (sticky) folder as it is', () => {
    chmodSync(where.dir, 0o1777);
    openConfStore(where);
    expect(mode(where.dir)).toBe(0o1777);
    expect(mode(where.file)).toBe(0o600);
  });
});
