/**
 * Opening the store file with real conf: an unusable file is moved aside with its bytes intact,
 * the fact is reported, and the app starts empty; an old file is migrated and written back.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyDocument, SCHEMA_VERSION } from '../../../main/core/storage/store-schema';
import { openConfStore, tempStoreDir, type TempStoreDir } from '../helpers/conf-store';

let where: TempStoreDir;
beforeEach(() => {
  where = tempStoreDir();
});
afterEach(() => where.remove());

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

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

const expectStartedEmpty = (document: {
  providers: object;
  accounts: object;
  secrets: object;
  schemaVersion: number;
}): void => {
  expect(document).toEqual(emptyDocument());
  // …and the file on disk says so too, so the next start does not trip over the same problem.
  expect(readJson(where.file)).toMatchObject({
    schemaVersion: SCHEMA_VERSION,
    providers: {},
    accounts: {},
    secrets: {},
  });
};

describe('openStore: a usable file', () => {
  it('starts empty and writes a versioned file when there is none', () => {
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expectStartedEmpty(opened.document);
  });

  it('loads a valid file as it is, without moving or rewriting it', () => {
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
    expect(readdirSync(where.dir)).toEqual(['store.json']);
  });

  it('migrates an unversioned file {} to the current version and writes it back', () => {
    writeFileSync(where.file, '{}');
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(opened.document).toEqual(emptyDocument());
    expect(readJson(where.file)).toEqual(emptyDocument());
  });

  it('migrates a version-1 file: its content kept, settings at the defaults a version-1 user had', () => {
    writeFileSync(
      where.file,
      JSON.stringify({
        schemaVersion: 1,
        providers: { github: validProvider },
        accounts: {},
        secrets: { 'client:github': 'cipher' },
        secretProtection: 'gnome_libsecret',
      }),
    );
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(opened.document.providers.github).toEqual(validProvider);
    expect(opened.document.secrets).toEqual({ 'client:github': 'cipher' });
    expect(opened.document.secretProtection).toBe('gnome_libsecret');
    expect(opened.document.settings).toEqual({
      persistWeakSecrets: false,
      clipboardClearSeconds: null,
    });
    expect(readJson(where.file)).toMatchObject({ schemaVersion: 2, settings: {} });
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
});

describe('openStore: an unusable file is moved aside, reported, and the app starts empty', () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['corrupt JSON', '{"schemaVersion":1,"providers":{"github":{"id":"gith', /could not be read/],
    ['an empty file', '', /could not be read/],
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
      'a file from a newer Tokendesk',
      JSON.stringify({
        schemaVersion: 99,
        providers: {},
        accounts: {},
        secrets: {},
        futureField: true,
      }),
      /newer/,
    ],
    [
      'a file whose version is not a number',
      JSON.stringify({ schemaVersion: '1', providers: {}, accounts: {}, secrets: {} }),
      /version/,
    ],
  ];

  it.each(cases)('handles %s', (_name, content, reason) => {
    writeFileSync(where.file, content);
    const { opened, logger } = openConfStore(where);

    expect(opened.recovered).toBeDefined();
    const movedTo = opened.recovered?.movedTo ?? '';
    expect(opened.recovered?.reason).toMatch(reason);
    // Kept, next to the original, with the original bytes.
    expect(dirname(movedTo)).toBe(where.dir);
    expect(basename(movedTo)).toMatch(/^store\.json\.corrupt-/);
    expect(existsSync(movedTo)).toBe(true);
    expect(readFileSync(movedTo, 'utf8')).toBe(content);

    expectStartedEmpty(opened.document);
    expect(opened.kv.store).toEqual(emptyDocument());
    expect(logger.entries.some((e) => e.level === 'error')).toBe(true);
  });

  it('names the moved file after the time it was found unusable (no colons, for Windows)', () => {
    writeFileSync(where.file, '{not json');
    const { opened } = openConfStore(where, { now: Date.UTC(2025, 5, 1, 12, 30, 45, 123) });
    expect(basename(opened.recovered?.movedTo ?? '')).toBe(
      'store.json.corrupt-2025-06-01T12-30-45.123Z',
    );
  });

  it('mentions a newer version in the reason for a file from the future', () => {
    writeFileSync(
      where.file,
      JSON.stringify({
        schemaVersion: SCHEMA_VERSION + 1,
        providers: {},
        accounts: {},
        secrets: {},
      }),
    );
    const { opened } = openConfStore(where);
    expect(opened.recovered?.reason).toMatch(/newer/i);
    expect(opened.recovered?.reason).toContain(String(SCHEMA_VERSION + 1));
  });

  it('lets the next start open the fresh file normally', () => {
    writeFileSync(where.file, '{"broken"');
    openConfStore(where);
    const { opened } = openConfStore(where);
    expect(opened.recovered).toBeUndefined();
    expect(readdirSync(where.dir).filter((name) => name.includes('corrupt'))).toHaveLength(1);
  });
});
