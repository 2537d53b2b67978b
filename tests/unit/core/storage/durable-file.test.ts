/**
 * The save at the file-system seam: a fake fs whose writeSync writes fewer bytes than asked (as a
 * nearly full disk does), then fails or makes no progress. A save writes every byte or fails; a
 * failure leaves the old file as it was and no temp file behind; the order is write, fsync the
 * file, rename, fsync the folder; the file is created 0600.
 */
import * as fs from 'node:fs';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreFailure } from '../../../../main/core/core-failure';
import {
  nodeStoreFs,
  writeFileDurably,
  type StoreFs,
} from '../../../../main/core/storage/durable-file';
import { Repository } from '../../../../main/core/storage/repository';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { createCapturingLogger } from '../../helpers/capturing-logger';
import { openConfStore, tempStoreDir, type TempStoreDir } from '../../helpers/conf-store';

let where: TempStoreDir;
beforeEach(() => {
  where = tempStoreDir();
});
afterEach(() => where.remove());

const enospc = (): Error =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** node:fs, with every call recorded and writeSync replaced by `write` (given the real one). */
const fakeFs = (
  write: (
    real: StoreFs['writeSync'],
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
  ) => number,
) => {
  const calls: string[] = [];
  const fds = new Map<number, string>();
  const name = (path: string) => (path === where.dir ? 'folder' : path.replace(/^.*\//, ''));
  const fake: StoreFs = {
    ...nodeStoreFs,
    openSync: (path, flags, mode) => {
      const fd = fs.openSync(path, flags, mode);
      fds.set(fd, name(path).replace(/\.tmp-[0-9a-f]+$/, '.tmp'));
      calls.push(`open ${fds.get(fd)}`);
      return fd;
    },
    writeSync: (fd, buffer, offset, length) => {
      calls.push(`write ${fds.get(fd)}`);
      return write(fs.writeSync, fd, buffer, offset, length);
    },
    fsyncSync: (fd) => {
      calls.push(`fsync ${fds.get(fd)}`);
      fs.fsyncSync(fd);
    },
    closeSync: (fd) => {
      calls.push(`close ${fds.get(fd)}`);
      fs.closeSync(fd);
    },
    renameSync: (from, to) => {
      calls.push(`rename ${name(from).replace(/\.tmp-[0-9a-f]+$/, '.tmp')} ${name(to)}`);
      fs.renameSync(from, to);
    },
  };
  return { fake, calls };
};

const OLD = JSON.stringify({ version: 'old', padding: 'o'.repeat(100) });
const NEW = JSON.stringify({ version: 'new', padding: 'n'.repeat(5000) });

describe('writeFileDurably', () => {
  it('goes on after a short write until every byte is on disk', () => {
    writeFileSync(where.file, OLD);
    const { fake, calls } = fakeFs((real, fd, buffer, offset, length) =>
      real(fd, buffer, offset, Math.min(length, 700)),
    );

    writeFileDurably(where.file, NEW, { fs: fake });

    expect(readFileSync(where.file, 'utf8')).toBe(NEW);
    expect(calls.filter((call) => call.startsWith('write')).length).toBeGreaterThan(1);
    expect(readdirSync(where.dir)).toEqual(['store.json']);
  });

  it('fails when the disk fills after a short write, leaving the old file and no temp file', () => {
    writeFileSync(where.file, OLD);
    let first = true;
    const { fake } = fakeFs((real, fd, buffer, offset, length) => {
      if (!first) throw enospc();
      first = false;
      return real(fd, buffer, offset, Math.floor(length / 2));
    });

    expect(() => writeFileDurably(where.file, NEW, { fs: fake })).toThrow(/ENOSPC/);

    expect(readFileSync(where.file, 'utf8')).toBe(OLD);
    expect(readdirSync(where.dir)).toEqual(['store.json']);
  });

  it('fails on a write that makes no progress, instead of answering ok or looping', () => {
    writeFileSync(where.file, OLD);
    const { fake } = fakeFs(() => 0);

    expect(() => writeFileDurably(where.file, NEW, { fs: fake })).toThrow(
      /ENOSPC: only 0 of \d+ bytes/,
    );

    expect(readFileSync(where.file, 'utf8')).toBe(OLD);
    expect(readdirSync(where.dir)).toEqual(['store.json']);
  });

  it('fsyncs the file, then renames it over the old one, then fsyncs the folder', () => {
    writeFileSync(where.file, OLD);
    const { fake, calls } = fakeFs((real, fd, buffer, offset, length) =>
      real(fd, buffer, offset, length),
    );

    writeFileDurably(where.file, NEW, { fs: fake });

    expect(calls).toEqual([
      'open store.json.tmp',
      'write store.json.tmp',
      'fsync store.json.tmp',
      'close store.json.tmp',
      'rename store.json.tmp store.json',
      'open folder',
      'fsync folder',
      'close folder',
    ]);
  });

  it('leaves the old file when fsync fails', () => {
    writeFileSync(where.file, OLD);
    const fake: StoreFs = {
      ...nodeStoreFs,
      fsyncSync: () => {
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      },
    };

    expect(() => writeFileDurably(where.file, NEW, { fs: fake })).toThrow(/EIO/);

    expect(readFileSync(where.file, 'utf8')).toBe(OLD);
    expect(readdirSync(where.dir)).toEqual(['store.json']);
  });

  it('tries the rename again while another program holds the file (Windows: EPERM, EBUSY)', () => {
    writeFileSync(where.file, OLD);
    const refusals = ['EPERM', 'EBUSY'];
    const fake: StoreFs = {
      ...nodeStoreFs,
      renameSync: (from, to) => {
        const code = refusals.shift();
        if (code) throw Object.assign(new Error(`${code}: operation not permitted`), { code });
        fs.renameSync(from, to);
      },
    };

    writeFileDurably(where.file, NEW, { fs: fake });

    expect(readFileSync(where.file, 'utf8')).toBe(NEW);
    expect(readdirSync(where.dir)).toEqual(['store.json']);
  });

  it('gives up on a rename that keeps failing, leaving the old file and no temp file', () => {
    writeFileSync(where.file, OLD);
    let tries = 0;
    const fake: StoreFs = {
      ...nodeStoreFs,
      renameSync: () => {
        tries++;
        throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
      },
    };

    expect(() => writeFileDurably(where.file, NEW, { fs: fake })).toThrow(/EPERM/);

    expect(tries).toBe(5);
    expect(readFileSync(where.file, 'utf8')).toBe(OLD);
    expect(readdirSync(where.dir)).toEqual(['store.json']);
  });

  it('creates the file 0600, also in place of one that was 0644', () => {
    writeFileSync(where.file, OLD, { mode: 0o644 });
    fs.chmodSync(where.file, 0o644);

    writeFileDurably(where.file, NEW);

    expect(statSync(where.file).mode & 0o777).toBe(0o600);
  });
});

describe('a save through the store on a disk that writes short', () => {
  const account = {
    id: 'acc1',
    providerId: 'github',
    presetId: 'github' as const,
    subject: '1',
    displayName: 'octocat',
    scopes: ['read:user'],
    tokenType: 'Bearer',
    expiresAt: 1_800_000_000_000,
    obtainedAt: 1_700_000_000_000,
    hasRefreshToken: true,
    status: 'ok' as const,
    createdAt: 1,
    updatedAt: 1,
  };

  it('answers storage/0 and keeps the old file and the old tokens', async () => {
    let cut = false;
    const { fake } = fakeFs((real, fd, buffer, offset, length) => {
      if (!cut) return real(fd, buffer, offset, length);
      // The disk takes 100 bytes, then no more.
      if (length > 100) return real(fd, buffer, offset, 100);
      throw enospc();
    });
    const { opened } = openConfStore(where, { fs: fake });
    const box = createTestSecretBox();
    const repo = new Repository(
      opened.kv,
      opened.document,
      box,
      { persist: true, protection: 'test-aes-gcm' },
      createCapturingLogger(),
    );
    await repo.saveAccount(account, { accessToken: 'at-1', refreshToken: 'rt-1' });
    const before = readFileSync(where.file, 'utf8');

    cut = true;
    const failure = await repo
      .saveAccount(account, { accessToken: 'at-2', refreshToken: 'rt-2' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(failure).toBeInstanceOf(CoreFailure);
    expect((failure as CoreFailure).toApiError()).toMatchObject({ group: 'storage', code: 0 });
    expect(readFileSync(where.file, 'utf8')).toBe(before);
    expect(await repo.accountSecrets('acc1')).toEqual({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
    });
    expect(readdirSync(where.dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});
