/**
 * A refresh's result is written just after its caller is answered (SaveOptions.writeSoon): in
 * memory at once, on disk one turn later, saves of one turn in one write, a refusal kept in
 * memory and reported, and nothing left unwritten when the app quits before that turn.
 */
import { describe, expect, it } from 'vitest';
import { Repository } from '../../../../main/core/storage/repository';
import { emptyDocument, type StoredAccount } from '../../../../main/core/storage/store-schema';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { createCapturingLogger } from '../../helpers/capturing-logger';
import { MemoryKv } from '../../helpers/memory-kv';

const account = (id: string, expiresAt = 1_800_000_000_000): StoredAccount => ({
  id,
  providerId: 'github',
  presetId: 'github',
  subject: id,
  displayName: id,
  scopes: ['read:user'],
  tokenType: 'Bearer',
  expiresAt,
  obtainedAt: 1_700_000_000_000,
  hasRefreshToken: true,
  status: 'ok',
  createdAt: 1,
  updatedAt: 1,
});

const tokens = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}` });

const open = () => {
  const kv = new MemoryKv();
  const box = createTestSecretBox();
  const repo = new Repository(
    kv,
    emptyDocument(),
    box,
    { persist: true, protection: 'test-aes-gcm' },
    createCapturingLogger(),
  );
  /** The account's tokens as the file holds them. */
  const onDisk = (id: string): unknown => {
    // Nothing written yet: an empty file.
    const { secrets = {} } = kv.store as { secrets?: Record<string, string> };
    const cipher = secrets[`account:${id}`];
    return cipher === undefined ? undefined : JSON.parse(box.decrypt(cipher));
  };
  return { kv, repo, onDisk };
};

describe('Repository: writeSoon', () => {
  it('holds the change in memory at once and writes it one turn later', async () => {
    const { kv, repo, onDisk } = open();
    const before = kv.writes;

    await repo.saveAccount(account('a', 1_900_000_000_000), tokens(2), { writeSoon: true });

    expect(repo.account('a')?.expiresAt).toBe(1_900_000_000_000);
    expect(await repo.accountSecrets('a')).toEqual(tokens(2));
    expect(kv.writes).toBe(before);
    expect(onDisk('a')).toBeUndefined();

    await repo.written();
    expect(kv.writes).toBe(before + 1);
    expect(onDisk('a')).toEqual(tokens(2));
    expect(repo.unsavedSince).toBeUndefined();
  });

  it('writes the saves of one turn together, once', async () => {
    const { kv, repo, onDisk } = open();
    const before = kv.writes;

    for (const id of ['a', 'b', 'c'])
      await repo.saveAccount(account(id), tokens(id.charCodeAt(0)), { writeSoon: true });
    await repo.written();

    expect(kv.writes).toBe(before + 1);
    expect(['a', 'b', 'c'].map(onDisk)).toEqual([tokens(97), tokens(98), tokens(99)]);
  });

  it('is written with any save that writes first, and not written twice', async () => {
    const { kv, repo, onDisk } = open();
    await repo.saveAccount(account('a'), tokens(2), { writeSoon: true });
    const before = kv.writes;

    await repo.saveAccount(account('b'), tokens(3));
    expect(kv.writes).toBe(before + 1);
    expect(onDisk('a')).toEqual(tokens(2));

    await repo.written();
    expect(kv.writes).toBe(before + 1);
  });

  it('keeps a refused write in memory, says since when, and saves it with the next write', async () => {
    const { kv, repo, onDisk } = open();
    await repo.saveAccount(account('a'), tokens(1));
    kv.failWrites = true;
    const started = Date.now();

    await repo.saveAccount(account('a'), tokens(2), { writeSoon: true });
    await repo.written();

    expect(repo.unsavedSince).toBeGreaterThanOrEqual(started);
    expect(await repo.accountSecrets('a')).toEqual(tokens(2));
    expect(onDisk('a')).toEqual(tokens(1));

    kv.failWrites = false;
    expect(repo.saveUnsaved()).toBe(true);
    expect(repo.unsavedSince).toBeUndefined();
    expect(onDisk('a')).toEqual(tokens(2));
  });

  it('is written by saveUnsaved (what quitting calls) before its turn comes', async () => {
    const { repo, onDisk } = open();
    await repo.saveAccount(account('a'), tokens(2), { writeSoon: true });

    expect(repo.saveUnsaved()).toBe(true);
    expect(onDisk('a')).toEqual(tokens(2));
  });
});
