/**
 * A refresh's new tokens with a box that encrypts synchronously (safeStorage): held in memory
 * when the caller is answered, encrypted by the write that follows, or by any write before it.
 * The caller does not wait for the encryption, and no write ever carries an account's new record
 * beside its old secret (after a crash that would hand out an old token as current).
 */
import { describe, expect, it } from 'vitest';
import type { SecretBox } from '../../../../main/core/ports';
import { Repository } from '../../../../main/core/storage/repository';
import { emptyDocument, type StoredAccount } from '../../../../main/core/storage/store-schema';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { createCapturingLogger } from '../../helpers/capturing-logger';
import { MemoryKv } from '../../helpers/memory-kv';

const account = (id: string, expiresAt: number): StoredAccount => ({
  id,
  providerId: 'corp',
  presetId: 'oidc',
  subject: id,
  displayName: id,
  scopes: ['openid'],
  tokenType: 'Bearer',
  expiresAt,
  obtainedAt: expiresAt - 3_600_000,
  hasRefreshToken: true,
  status: 'ok',
  createdAt: 1,
  updatedAt: 1,
});

/** Tokens whose number matches the record's expiry, so a file can be checked for agreement. */
const tokens = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}` });
const expiryOf = (n: number) => 1_800_000_000_000 + n;

/** What each write put in the file, as the account's record and its decrypted tokens. */
interface Written {
  readonly expiresAt: number | undefined;
  readonly tokens: unknown;
}

class RecordingKv extends MemoryKv {
  readonly written: Written[] = [];
  constructor(private readonly read: (cipher: string) => unknown) {
    super();
  }
  override set store(value: Record<string, unknown>) {
    super.store = value;
    const { accounts = {}, secrets = {} } = value as {
      accounts?: Record<string, StoredAccount>;
      secrets?: Record<string, string>;
    };
    const cipher = secrets['account:a'];
    this.written.push({
      expiresAt: accounts.a?.expiresAt ?? undefined,
      tokens: cipher === undefined ? undefined : this.read(cipher),
    });
  }
  override get store(): Record<string, unknown> {
    return super.store;
  }
}

const open = (box: Omit<SecretBox, 'decrypt'> & { decrypt(cipher: string): string }) => {
  const kv = new RecordingKv((cipher) => JSON.parse(box.decrypt(cipher)));
  const logger = createCapturingLogger();
  const repo = new Repository(
    kv,
    emptyDocument(),
    box,
    { persist: true, protection: 'test-aes-gcm' },
    logger,
  );
  return { kv, repo, logger };
};

/** The test box, counting its synchronous encryptions; `refuse` makes them throw. */
const countingBox = () => {
  const inner = createTestSecretBox();
  const counts = { encrypt: 0, encryptNow: 0 };
  let refuse = false;
  const box = {
    encrypt: (plain: string) => {
      counts.encrypt += 1;
      return inner.encrypt(plain);
    },
    encryptNow: (plain: string) => {
      counts.encryptNow += 1;
      if (refuse) throw new Error('the keyring is locked (test box)');
      return inner.encrypt(plain);
    },
    decrypt: (cipher: string) => inner.decrypt(cipher),
  };
  return { box, counts, refuse: (refusing: boolean) => (refuse = refusing) };
};

describe('Repository: a refresh’s secrets with a synchronous box', () => {
  it('answers before encrypting; the write that follows encrypts and saves them', async () => {
    const { box, counts } = countingBox();
    const { kv, repo } = open(box);
    await repo.saveAccount(account('a', expiryOf(1)), tokens(1));
    const before = { ...counts };

    await repo.saveAccount(account('a', expiryOf(2)), tokens(2), { writeSoon: true });

    expect(counts).toEqual(before);
    expect(repo.account('a')?.expiresAt).toBe(expiryOf(2));
    expect(await repo.accountSecrets('a')).toEqual(tokens(2));

    await repo.written();
    expect(counts.encryptNow).toBe(before.encryptNow + 1);
    expect(kv.written.at(-1)).toEqual({ expiresAt: expiryOf(2), tokens: tokens(2) });
    expect(JSON.stringify(kv.store)).not.toContain('refresh-2');
  });

  it('is encrypted by any write that comes first: no file has the new record beside the old tokens', async () => {
    const { box } = countingBox();
    const { kv, repo } = open(box);
    await repo.saveAccount(account('a', expiryOf(1)), tokens(1));

    await repo.saveAccount(account('a', expiryOf(2)), tokens(2), { writeSoon: true });
    repo.saveSettings({ ...repo.settings() });
    await repo.saveAccount(account('b', expiryOf(9)), tokens(9));
    await repo.written();

    expect(kv.written.length).toBeGreaterThanOrEqual(3);
    for (const written of kv.written)
      expect(written.tokens).toEqual(tokens(written.expiresAt! - expiryOf(0)));
    expect(kv.written.at(-1)).toEqual({ expiresAt: expiryOf(2), tokens: tokens(2) });
  });

  it('two saves before the write: the newer tokens are the ones encrypted, once', async () => {
    const { box, counts } = countingBox();
    const { kv, repo } = open(box);

    await repo.saveAccount(account('a', expiryOf(2)), tokens(2), { writeSoon: true });
    await repo.saveAccount(account('a', expiryOf(3)), tokens(3), { writeSoon: true });
    await repo.written();

    expect(counts.encryptNow).toBe(1);
    expect(kv.written).toEqual([{ expiresAt: expiryOf(3), tokens: tokens(3) }]);
  });

  it('a box that refuses at the write: neither old nor new tokens in the file, the new ones kept and saved once it works', async () => {
    const { box, refuse } = countingBox();
    const { kv, repo, logger } = open(box);
    await repo.saveAccount(account('a', expiryOf(1)), tokens(1));
    refuse(true);
    const started = Date.now();

    await repo.saveAccount(account('a', expiryOf(2)), tokens(2), { writeSoon: true });
    await repo.written();

    expect(kv.written.at(-1)).toEqual({ expiresAt: expiryOf(2), tokens: undefined });
    expect(await repo.accountSecrets('a')).toEqual(tokens(2));
    // Said as any change kept in memory only is (the window's "not saved" notice).
    expect(repo.unsavedSince).toBeGreaterThanOrEqual(started);
    const logged = logger.entries.find((entry) => entry.level === 'error');
    expect(logged?.message).toBe('a secret could not be encrypted: kept in memory only');
    expect(logger.dump()).not.toContain('refresh-2');

    // Still refused: still unsaved. Then the box works again (quitting tries once more).
    expect(repo.saveUnsaved()).toBe(false);
    refuse(false);
    expect(repo.saveUnsaved()).toBe(true);
    expect(repo.unsavedSince).toBeUndefined();
    expect(kv.written.at(-1)).toEqual({ expiresAt: expiryOf(2), tokens: tokens(2) });
  });

  it('a refused secret whose account is then disconnected leaves nothing unsaved behind', async () => {
    const { box, refuse } = countingBox();
    const { repo } = open(box);
    refuse(true);
    await repo.saveAccount(account('a', expiryOf(2)), tokens(2), { writeSoon: true });
    await repo.written();
    expect(repo.unsavedSince).toBeDefined();

    repo.deleteAccount('a');
    expect(repo.unsavedSince).toBeUndefined();
  });

  it('an account deleted before the write is not encrypted, and leaves no ciphertext', async () => {
    const { box, counts } = countingBox();
    const { kv, repo } = open(box);
    await repo.saveAccount(account('a', expiryOf(1)), tokens(1));
    const before = counts.encryptNow;

    await repo.saveAccount(account('a', expiryOf(2)), tokens(2), { writeSoon: true });
    repo.deleteAccount('a');
    await repo.written();

    expect(counts.encryptNow).toBe(before);
    expect(kv.written.at(-1)).toEqual({ expiresAt: undefined, tokens: undefined });
  });

  it('secrets switched to memory only before the write: nothing of them reaches the file', async () => {
    const { box } = countingBox();
    const { kv, repo } = open(box);
    await repo.saveAccount(account('a', expiryOf(1)), tokens(1));

    await repo.saveAccount(account('a', expiryOf(2)), tokens(2), { writeSoon: true });
    await repo.changePolicy({ persist: false, protection: 'memory' });
    await repo.written();

    expect(kv.written.at(-1)).toEqual({ expiresAt: expiryOf(2), tokens: undefined });
    expect(await repo.accountSecrets('a')).toEqual(tokens(2));
  });

  it('a box that only encrypts asynchronously is waited for before the save answers', async () => {
    const inner = createTestSecretBox();
    let encrypted = 0;
    const box = {
      encrypt: async (plain: string) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        encrypted += 1;
        return inner.encrypt(plain);
      },
      decrypt: (cipher: string) => inner.decrypt(cipher),
    };
    const { kv, repo } = open(box);

    await repo.saveAccount(account('a', expiryOf(2)), tokens(2), { writeSoon: true });
    expect(encrypted).toBe(1);
    await repo.written();
    expect(kv.written.at(-1)).toEqual({ expiresAt: expiryOf(2), tokens: tokens(2) });
  });
});
