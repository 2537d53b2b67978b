/**
 * The app's store on the real electron-store (electron mocked): it writes the file that
 * storeFilePath names — the one openStore moves aside when it is unusable — so a corrupt store in
 * the app is kept and replaced, not left in the way of every start or silently wiped.
 */
import fs, {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../../main/core/storage/open-store';
import { emptyDocument } from '../../../main/core/storage/store-schema';
import {
  createElectronStore,
  ELECTRON_STORE_CHANNEL,
  STORE_NAME,
  storeFilePath,
} from '../../../main/shell/electron-store-kv';
import { createCapturingLogger } from '../helpers/capturing-logger';

const { electron, userData } = await vi.hoisted(async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-electron-store-'));
  const { createElectronMock } = await import('../helpers/mock-electron');
  return { electron: createElectronMock({ userData: dir }), userData: dir };
});
vi.mock('electron', () => electron.module);

const file = storeFilePath(userData);

beforeEach(() => {
  for (const name of readdirSync(userData)) rmSync(join(userData, name), { force: true });
});

afterAll(() => rmSync(userData, { recursive: true, force: true }));

describe('createElectronStore', () => {
  it('writes the file storeFilePath names, in the user data folder', () => {
    expect(file).toBe(join(userData, `${STORE_NAME}.json`));

    const kv = createElectronStore();
    kv.store = { probe: 'x', n: 1 };

    expect(readdirSync(userData)).toEqual([`${STORE_NAME}.json`]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ probe: 'x', n: 1 });
  });

  it('writes compact JSON, and reads back what another instance wrote', () => {
    createElectronStore().set({ a: 1, b: 'two' });

    expect(readFileSync(file, 'utf8')).toBe('{"a":1,"b":"two"}');
    const again = createElectronStore();
    expect(again.get('b')).toBe('two');
    expect(again.has('a')).toBe(true);
    again.delete('a');
    expect(createElectronStore().store).toEqual({ b: 'two' });
  });

  it('throws on a corrupt file instead of wiping it', () => {
    writeFileSync(file, '{"schemaVersion": 1, "accounts": {');

    expect(() => createElectronStore()).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('{"schemaVersion": 1, "accounts": {');
  });
});

describe('IPC', () => {
  it('leaves no listener for renderers: every channel goes through the trusted-sender gate', () => {
    createElectronStore();

    // electron-store registers its synchronous data channel for renderers at its first store…
    expect(electron.ipcMain.on).toHaveBeenCalledWith(ELECTRON_STORE_CHANNEL, expect.any(Function));
    // …and the app's store takes it away again: main answers nothing outside ipc-bridge.ts.
    expect(electron.ipcMain.listenerCount(ELECTRON_STORE_CHANNEL)).toBe(0);
    expect(electron.ipcMain.eventNames()).toEqual([]);
  });
});

describe('opened as the app opens it', () => {
  it('a corrupt store is moved aside with its bytes, and the app starts empty', () => {
    const corrupt = '{"schemaVersion": 1, "accounts": {';
    writeFileSync(file, corrupt);
    const logger = createCapturingLogger();

    const opened = openStore({
      filePath: file,
      create: createElectronStore,
      logger,
      now: Date.now,
    });

    expect(opened.document).toEqual(emptyDocument());
    expect(opened.recovered?.movedTo).toMatch(new RegExp(`^${file}\\.corrupt-`));
    const movedTo = opened.recovered?.movedTo ?? '';
    expect(existsSync(movedTo)).toBe(true);
    expect(readFileSync(movedTo, 'utf8')).toBe(corrupt);
    // The next start finds a valid, empty store where the corrupt one was.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject(emptyDocument());
  });

  it('a store that is JSON but not an object is moved aside too, not read as {}', () => {
    writeFileSync(file, '[1,2,3]');

    const opened = openStore({
      filePath: file,
      create: createElectronStore,
      logger: createCapturingLogger(),
      now: Date.now,
    });

    expect(opened.recovered?.reason).toMatch(/not a JSON object but an array/);
    expect(readFileSync(opened.recovered?.movedTo ?? '', 'utf8')).toBe('[1,2,3]');
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)).not.toContain('0');
  });
});

describe('how the bytes reach the disk', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses JSON that is not an object instead of turning it into {}', () => {
    for (const content of ['null', '[1,2,3]', '"str"', '42', 'true']) {
      writeFileSync(file, content);
      expect(() => createElectronStore(), content).toThrow(/not a JSON object/);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it('creates the store file 0600', () => {
    createElectronStore().store = { a: 1 };
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('fsyncs the file, renames it, then fsyncs the folder (the durable write, not conf’s)', () => {
    const kv = createElectronStore();
    const opened = vi.spyOn(fs, 'openSync');
    const synced = vi.spyOn(fs, 'fsyncSync');

    kv.store = { a: 1 };

    const folderFd = opened.mock.results[opened.mock.calls.findIndex(([p]) => p === userData)];
    expect(folderFd?.value).toBeTypeOf('number');
    expect(synced.mock.calls.map(([fd]) => fd)).toContain(folderFd?.value);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: 1 });
  });

  it('fails a save the disk cuts short, keeping the old file', () => {
    const kv = createElectronStore();
    kv.store = { old: true };
    let first = true;
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      if (!first)
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      first = false;
      return 3;
    });

    expect(() => (kv.store = { new: 'x'.repeat(1000) })).toThrow(/ENOSPC/);
    vi.restoreAllMocks();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ old: true });
    expect(readdirSync(userData)).toEqual([`${STORE_NAME}.json`]);
  });
});
