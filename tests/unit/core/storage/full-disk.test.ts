/**
 * A full disk, for real: the store on a 64 KiB tmpfs, written through conf as the app writes it.
 * Every save either reaches the disk whole or fails with storage/0; the file on disk is always the
 * last save that succeeded, so the next start finds every account whose save was answered ok and
 * moves nothing aside. A rotated refresh token the full disk refuses stays in memory (the status
 * says since when) and reaches the disk with the next save once there is room.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreFailure } from '../../../../main/core/core-failure';
import { Repository, type SecretPolicy } from '../../../../main/core/storage/repository';
import type { StoredAccount } from '../../../../main/core/storage/store-schema';
import { createTestSecretBox, type TestSecretBox } from '../../../support/test-secret-box';
import { createCapturingLogger } from '../../helpers/capturing-logger';
import { openConfStore, type TempStoreDir } from '../../helpers/conf-store';
import {
  mountSmallFilesystem,
  smallFilesystemUnavailable,
  type SmallFilesystem,
} from '../../helpers/small-filesystem';

const unavailable = smallFilesystemUnavailable('full-disk.test');
const PERSIST: SecretPolicy = { persist: true, protection: 'test-aes-gcm' };

let disk: SmallFilesystem;
let where: TempStoreDir;
beforeEach(() => {
  if (unavailable !== undefined) return;
  const mounted = mountSmallFilesystem(64 * 1024);
  if ('reason' in mounted) throw new Error(mounted.reason);
  disk = mounted;
  where = { dir: disk.dir, file: join(disk.dir, 'store.json'), remove: () => disk.unmount() };
});
afterEach(() => {
  if (unavailable === undefined) where.remove();
});

const account = (id: string): StoredAccount => ({
  id,
  providerId: 'github',
  presetId: 'github',
  subject: id,
  displayName: `user ${id}`,
  scopes: ['read:user'],
  tokenType: 'Bearer',
  expiresAt: 1_800_000_000_000,
  obtainedAt: 1_700_000_000_000,
  hasRefreshToken: true,
  status: 'ok',
  createdAt: 1,
  updatedAt: 1,
});

/** Tokens about the size real providers issue, so a few dozen accounts fill the disk. */
const tokens = (id: string, generation = 1) => ({
  accessToken: `access-${id}-${generation}-${'a'.repeat(400)}`,
  refreshToken: `refresh-${id}-${generation}-${'r'.repeat(200)}`,
});

const openRepo = (box: TestSecretBox) => {
  const { opened } = openConfStore(where);
  const logger = createCapturingLogger();
  return {
    opened,
    logger,
    repo: new Repository(opened.kv, opened.document, box, PERSIST, logger),
  };
};

interface FileOnDisk {
  readonly accounts: Record<string, StoredAccount>;
  readonly secrets: Record<string, string>;
}
const fileOnDisk = (): FileOnDisk => JSON.parse(readFileSync(where.file, 'utf8')) as FileOnDisk;

/** Fills the disk with a file of its own, leaving `room` bytes (rounded to pages) free. */
const fillDisk = (room: number): (() => void) => {
  const filler = join(where.dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 0x2e);
  let size = 0;
  try {
    for (;;) size += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  if (room > 0) {
    const kept = openSync(filler, 'r+');
    try {
      // Frees whole pages at the end.
      ftruncateSync(kept, Math.max(0, size - room));
    } finally {
      closeSync(kept);
    }
  }
  return () => rmSync(filler, { force: true });
};

describe.skipIf(unavailable !== undefined)('the store on a full disk (64 KiB tmpfs)', () => {
  it('answers each of 400 saves with ok only when the whole file is on disk, and the next start has them all', async () => {
    const box = createTestSecretBox();
    const { repo } = openRepo(box);
    const saved = new Set<string>();
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const id = `acc${i}`;
      try {
        await repo.saveAccount(account(id), tokens(id));
        saved.add(id);
      } catch (error) {
        expect(error).toBeInstanceOf(CoreFailure);
        expect((error as CoreFailure).toApiError()).toMatchObject({ group: 'storage', code: 0 });
        refused++;
      }
      // After every save, ok or not, the file is whole and holds exactly what was answered ok.
      expect(Object.keys(fileOnDisk().accounts).sort()).toEqual([...saved].sort());
    }
    // The premise: the disk did fill up.
    expect(refused).toBeGreaterThan(0);
    expect(saved.size).toBeGreaterThan(0);

    const next = openRepo(box);
    expect(next.opened.recovered).toBeUndefined();
    expect(
      next.repo
        .accounts()
        .map((a) => a.id)
        .sort(),
    ).toEqual([...saved].sort());
    for (const id of saved) expect(await next.repo.accountSecrets(id)).toEqual(tokens(id));
  });

  it('keeps a rotated refresh token the full disk refuses in memory, and saves it once there is room', async () => {
    const box = createTestSecretBox();
    const { repo } = openRepo(box);
    const ids = Array.from({ length: 10 }, (_, i) => `acc${i + 1}`);
    for (const id of ids) await repo.saveAccount(account(id), tokens(id));
    const before = readFileSync(where.file, 'utf8');
    // One page free: less than the store needs, so a write gets part of the way.
    const freeSpace = fillDisk(4096);
    expect(before.length).toBeGreaterThan(2 * 4096);

    await repo.saveAccount(account('acc2'), tokens('acc2', 2), { keepInMemoryOnFailure: true });

    expect(repo.unsavedSince).toBeDefined();
    expect(await repo.accountSecrets('acc2')).toEqual(tokens('acc2', 2));
    // The old file is intact: every account, with the tokens it had.
    expect(readFileSync(where.file, 'utf8')).toBe(before);
    expect(box.decrypt(fileOnDisk().secrets['account:acc2'] ?? '')).toBe(
      JSON.stringify(tokens('acc2', 1)),
    );

    freeSpace();
    await repo.saveAccount(account('acc3'), tokens('acc3', 2));
    expect(repo.unsavedSince).toBeUndefined();
    const next = openRepo(box);
    expect(next.opened.recovered).toBeUndefined();
    expect(await next.repo.accountSecrets('acc2')).toEqual(tokens('acc2', 2));
    expect(await next.repo.accountSecrets('acc3')).toEqual(tokens('acc3', 2));
    expect(next.repo.accounts()).toHaveLength(ids.length);
  });
});
