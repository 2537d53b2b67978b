/**
 * The repository over a real conf file: secrets reach the disk only as ciphertext (or not at all
 * in memory-only mode), a failed write changes nothing, a rotated token survives a failed write in
 * memory, and an undecryptable secret is reported as such.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreFailure } from '../../../../main/core/core-failure';
import type { KeyValueStore, SecretBox } from '../../../../main/core/ports';
import { Repository, type SecretPolicy } from '../../../../main/core/storage/repository';
import type {
  StoredAccount,
  StoredProviderConfig,
} from '../../../../main/core/storage/store-schema';
import {
  createFailingSecretBox,
  createTestSecretBox,
  TEST_SECRET_PREFIX,
} from '../../../support/test-secret-box';
import { createCapturingLogger } from '../../helpers/capturing-logger';
import {
  createConfKv,
  openConfStore,
  tempStoreDir,
  type TempStoreDir,
} from '../../helpers/conf-store';

const CLIENT_SECRET = 'client-secret-PLAINTEXT-7f3a9c';
const REFRESH_TOKEN = 'refresh-token-PLAINTEXT-1b2c3d';
const ACCESS_TOKEN = 'access-token-PLAINTEXT-9e8d7c';
const ID_TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.id-token-PLAINTEXT';

const PERSIST: SecretPolicy = { persist: true, protection: 'test-aes-gcm' };
const MEMORY_ONLY: SecretPolicy = { persist: false, protection: 'basic_text' };

let where: TempStoreDir;
beforeEach(() => {
  where = tempStoreDir();
});
afterEach(() => where.remove());

/** conf, with a switch that makes its writes fail as a full disk would. */
class FlakyKv implements KeyValueStore {
  failing = false;
  constructor(private readonly inner: KeyValueStore) {}
  get store(): Record<string, unknown> {
    return this.inner.store;
  }
  set store(value: Record<string, unknown>) {
    if (this.failing) throw new Error('ENOSPC: no space left on device');
    this.inner.store = value;
  }
  get(key: string): unknown {
    return this.inner.get(key);
  }
  set(key: string, value: unknown): void;
  set(values: Record<string, unknown>): void;
  set(keyOrValues: string | Record<string, unknown>, value?: unknown): void {
    if (this.failing) throw new Error('ENOSPC: no space left on device');
    if (typeof keyOrValues === 'string') this.inner.set(keyOrValues, value);
    else this.inner.set(keyOrValues);
  }
  delete(key: string): void {
    if (this.failing) throw new Error('ENOSPC: no space left on device');
    this.inner.delete(key);
  }
  has(key: string): boolean {
    return this.inner.has(key);
  }
}

const provider = (overrides: Partial<StoredProviderConfig> = {}): StoredProviderConfig => ({
  id: 'github',
  presetId: 'github',
  label: 'GitHub',
  clientId: 'Iv1.abc',
  clientAuth: 'client_secret_post',
  scopes: ['read:user'],
  consentMode: 'embedded',
  createdAt: 1,
  updatedAt: 1,
  ...overrides,
});

const account = (overrides: Partial<StoredAccount> = {}): StoredAccount => ({
  id: 'acc1',
  providerId: 'github',
  presetId: 'github',
  subject: '583231',
  displayName: 'octocat',
  scopes: ['read:user'],
  tokenType: 'Bearer',
  expiresAt: 1_800_000_000_000,
  obtainedAt: 1_700_000_000_000,
  hasRefreshToken: true,
  status: 'ok',
  createdAt: 1,
  updatedAt: 1,
  ...overrides,
});

const open = (box: SecretBox, policy: SecretPolicy = PERSIST) => {
  const kv = new FlakyKv(createConfKv(where.dir));
  const { opened } = openConfStore(where, { create: () => kv });
  const logger = createCapturingLogger();
  return { kv, repo: new Repository(kv, opened.document, box, policy, logger), logger };
};

const rawFile = (): string => readFileSync(where.file, 'utf8');

const failureName = async (action: () => unknown): Promise<string> => {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(CoreFailure);
    return (error as CoreFailure).errorName;
  }
  throw new Error('expected an CoreFailure');
};

describe('Repository: secrets at rest', () => {
  it('writes client secrets and tokens to the file only as ciphertext', async () => {
    const { repo } = open(createTestSecretBox());
    await repo.saveProvider(provider(), CLIENT_SECRET);
    await repo.saveAccount(account(), {
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
      idToken: ID_TOKEN,
    });

    const raw = rawFile();
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN, ID_TOKEN, 'PLAINTEXT'])
      expect(raw).not.toContain(secret);
    const secrets = (JSON.parse(raw) as { secrets: Record<string, string> }).secrets;
    expect(Object.keys(secrets).sort()).toEqual(['account:acc1', 'client:github']);
    for (const cipher of Object.values(secrets))
      expect(cipher.startsWith(TEST_SECRET_PREFIX)).toBe(true);
    // The metadata, though, is there in clear for the app to list.
    expect(raw).toContain('octocat');
  });

  it('reads the secrets back after a restart with the same key', async () => {
    const key = Buffer.alloc(32, 7);
    const first = open(createTestSecretBox(key));
    await first.repo.saveProvider(provider(), CLIENT_SECRET);
    await first.repo.saveAccount(account(), {
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });

    const second = open(createTestSecretBox(key));
    expect(await second.repo.clientSecret('github')).toBe(CLIENT_SECRET);
    expect(await second.repo.accountSecrets('acc1')).toEqual({
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });
    expect(second.repo.account('acc1')?.displayName).toBe('octocat');
  });

  it('writes no secrets at all in memory-only mode, not even ciphertext, yet uses them this session', async () => {
    const { repo } = open(createTestSecretBox(), MEMORY_ONLY);
    await repo.saveProvider(provider(), CLIENT_SECRET);
    await repo.saveAccount(account(), { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });

    const raw = rawFile();
    expect(JSON.parse(raw)).toMatchObject({ secrets: {} });
    expect(raw).not.toContain(TEST_SECRET_PREFIX);
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN])
      expect(raw).not.toContain(secret);

    expect(await repo.clientSecret('github')).toBe(CLIENT_SECRET);
    expect(await repo.accountSecrets('acc1')).toEqual({
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });
    expect(repo.hasClientSecret('github')).toBe(true);
  });

  it('has no secrets after a restart in memory-only mode, but keeps the metadata', async () => {
    const first = open(createTestSecretBox(), MEMORY_ONLY);
    await first.repo.saveProvider(provider(), CLIENT_SECRET);
    await first.repo.saveAccount(account(), {
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });

    const second = open(createTestSecretBox(), MEMORY_ONLY);
    expect(second.repo.account('acc1')).toBeDefined();
    expect(await second.repo.accountSecrets('acc1')).toBeUndefined();
    expect(await second.repo.clientSecret('github')).toBeUndefined();
  });

  it('removes a client secret from the file when it is set to null', async () => {
    const { repo } = open(createTestSecretBox());
    await repo.saveProvider(provider(), CLIENT_SECRET);
    await repo.saveProvider(provider(), null);
    expect(JSON.parse(rawFile())).toMatchObject({ secrets: {} });
    expect(await repo.clientSecret('github')).toBeUndefined();
    expect(repo.hasClientSecret('github')).toBe(false);
  });

  it('removes an account’s secrets from the file with the account', async () => {
    const { repo } = open(createTestSecretBox());
    await repo.saveAccount(account(), { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
    repo.deleteAccount('acc1');
    expect(JSON.parse(rawFile())).toMatchObject({ accounts: {}, secrets: {} });
    expect(await repo.accountSecrets('acc1')).toBeUndefined();
  });
});

describe('Repository: decrypted secrets kept for the session', () => {
  it('answers the newest tokens after every save, never a stale copy', async () => {
    const { repo } = open(createTestSecretBox());
    await repo.saveAccount(account(), { accessToken: 'first-token', refreshToken: REFRESH_TOKEN });
    expect((await repo.accountSecrets('acc1'))?.accessToken).toBe('first-token');
    await repo.saveAccount(account(), { accessToken: 'second-token', refreshToken: REFRESH_TOKEN });
    expect((await repo.accountSecrets('acc1'))?.accessToken).toBe('second-token');
    repo.deleteAccount('acc1');
    expect(await repo.accountSecrets('acc1')).toBeUndefined();
  });

  it('gives every caller the same read-only tokens: one caller cannot change what the next gets', async () => {
    const { repo } = open(createTestSecretBox());
    await repo.saveAccount(account(), { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
    const first = await repo.accountSecrets('acc1');
    expect(() => {
      (first as { accessToken: string }).accessToken = 'tampered';
    }).toThrow(TypeError);
    expect((await repo.accountSecrets('acc1'))?.accessToken).toBe(ACCESS_TOKEN);
  });
});

describe('Repository: saves that overlap', () => {
  /** A secret box that takes a while, as one behind an OS keyring may: the port allows it. */
  const slowBox = (): SecretBox => {
    const inner = createTestSecretBox();
    return {
      encrypt: async (plain) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return inner.encrypt(plain);
      },
      decrypt: (cipher) => inner.decrypt(cipher),
    };
  };

  it('keeps both accounts’ new tokens on disk when their saves overlap', async () => {
    const box = slowBox();
    const { repo } = open(box);
    await repo.saveAccount(account({ id: 'a' }), { accessToken: 'at-a1', refreshToken: 'rt-a1' });
    await repo.saveAccount(account({ id: 'b' }), { accessToken: 'at-b1', refreshToken: 'rt-b1' });

    await Promise.all([
      repo.saveAccount(account({ id: 'a' }), { accessToken: 'at-a2', refreshToken: 'rt-a2' }),
      repo.saveAccount(account({ id: 'b' }), { accessToken: 'at-b2', refreshToken: 'rt-b2' }),
      repo.saveProvider(provider(), CLIENT_SECRET),
    ]);

    // What the next start reads: every save's secrets, none undone by another.
    const reopened = open(box).repo;
    expect(await reopened.accountSecrets('a')).toMatchObject({ refreshToken: 'rt-a2' });
    expect(await reopened.accountSecrets('b')).toMatchObject({ refreshToken: 'rt-b2' });
    expect(await reopened.clientSecret('github')).toBe(CLIENT_SECRET);
  });
});

describe('Repository: switching to disk while a save happens', () => {
  it('writes the rotated token, not the one it read before the save', async () => {
    const inner = createTestSecretBox();
    let hold: Promise<void> | undefined;
    const gated: SecretBox = {
      encrypt: async (plain) => {
        if (hold) await hold;
        return inner.encrypt(plain);
      },
      decrypt: (cipher) => inner.decrypt(cipher),
    };
    const { repo } = open(gated, MEMORY_ONLY);
    await repo.saveAccount(account(), { accessToken: 'at-1', refreshToken: 'rt-1' });

    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const switching = repo.changePolicy(PERSIST);
    // A refresh lands while the switch is encrypting: it rotates the refresh token.
    await repo.saveAccount(account(), { accessToken: 'at-2', refreshToken: 'rt-2' });
    hold = undefined;
    release();
    await switching;

    expect(await open(gated).repo.accountSecrets('acc1')).toMatchObject({ refreshToken: 'rt-2' });
  });
});

describe('Repository: a failed write changes nothing', () => {
  it('refuses a provider it could not save, with storageWriteFailed, and keeps the old one', async () => {
    const { kv, repo } = open(createTestSecretBox());
    await repo.saveProvider(provider(), CLIENT_SECRET);
    const before = rawFile();

    kv.failing = true;
    expect(
      await failureName(() =>
        repo.saveProvider(provider({ clientId: 'Iv1.NEW', label: 'New' }), 'new-secret'),
      ),
    ).toBe('storageWriteFailed');

    expect(repo.provider('github')?.clientId).toBe('Iv1.abc');
    expect(await repo.clientSecret('github')).toBe(CLIENT_SECRET);
    expect(rawFile()).toBe(before);
  });

  it('refuses an account it could not save and keeps the previous tokens', async () => {
    const { kv, repo } = open(createTestSecretBox());
    await repo.saveAccount(account(), { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
    const before = rawFile();

    kv.failing = true;
    expect(
      await failureName(() =>
        repo.saveAccount(account({ displayName: 'renamed', status: 'error' }), {
          accessToken: 'new-at',
          refreshToken: 'new-rt',
        }),
      ),
    ).toBe('storageWriteFailed');

    expect(repo.account('acc1')).toEqual(account());
    expect(await repo.accountSecrets('acc1')).toEqual({
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });
    expect(repo.unsavedSince).toBeUndefined();
    expect(rawFile()).toBe(before);
  });

  it('refuses a new account it could not save: it does not appear', async () => {
    const { kv, repo } = open(createTestSecretBox());
    kv.failing = true;
    expect(
      await failureName(() => repo.saveAccount(account(), { accessToken: ACCESS_TOKEN })),
    ).toBe('storageWriteFailed');
    expect(repo.accounts()).toEqual([]);
    expect(await repo.accountSecrets('acc1')).toBeUndefined();
  });

  it('keeps an account it could not delete', async () => {
    const { kv, repo } = open(createTestSecretBox());
    await repo.saveAccount(account(), { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
    kv.failing = true;
    expect(await failureName(() => repo.deleteAccount('acc1'))).toBe('storageWriteFailed');
    expect(repo.account('acc1')).toBeDefined();
    expect(await repo.accountSecrets('acc1')).toEqual({
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });
  });

  it('keeps a provider it could not delete', async () => {
    const { kv, repo } = open(createTestSecretBox());
    await repo.saveProvider(provider(), CLIENT_SECRET);
    kv.failing = true;
    expect(await failureName(() => repo.deleteProvider('github'))).toBe('storageWriteFailed');
    expect(repo.provider('github')).toBeDefined();
    expect(await repo.clientSecret('github')).toBe(CLIENT_SECRET);
  });

  it('logs the failed write without any secret', async () => {
    const { kv, repo, logger } = open(createTestSecretBox());
    kv.failing = true;
    await failureName(() =>
      repo.saveAccount(account(), { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN }),
    );
    expect(logger.entries.some((e) => e.level === 'error')).toBe(true);
    expect(logger.dump()).not.toContain(REFRESH_TOKEN);
    expect(logger.dump()).not.toContain(ACCESS_TOKEN);
  });
});

describe('Repository: keepInMemoryOnFailure (a rotated token exists nowhere else)', () => {
  it('keeps the change in memory, sets unsavedSince, and does not throw', async () => {
    const { kv, repo } = open(createTestSecretBox());
    await repo.saveAccount(account(), { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
    const before = rawFile();

    kv.failing = true;
    const started = Date.now();
    await repo.saveAccount(
      account({ expiresAt: 1_900_000_000_000 }),
      { accessToken: 'rotated-at', refreshToken: 'rotated-rt' },
      { keepInMemoryOnFailure: true },
    );

    expect(repo.account('acc1')?.expiresAt).toBe(1_900_000_000_000);
    expect(await repo.accountSecrets('acc1')).toEqual({
      accessToken: 'rotated-at',
      refreshToken: 'rotated-rt',
    });
    expect(repo.unsavedSince).toBeGreaterThanOrEqual(started);
    expect(rawFile()).toBe(before);
  });

  it('saves the kept change with the next successful write, and clears unsavedSince', async () => {
    const key = Buffer.alloc(32, 3);
    const { kv, repo } = open(createTestSecretBox(key));
    await repo.saveAccount(account(), { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
    kv.failing = true;
    await repo.saveAccount(
      account(),
      { accessToken: 'rotated-at', refreshToken: 'rotated-rt' },
      { keepInMemoryOnFailure: true },
    );

    kv.failing = false;
    await repo.saveProvider(provider(), CLIENT_SECRET);
    expect(repo.unsavedSince).toBeUndefined();

    const restarted = open(createTestSecretBox(key));
    expect(await restarted.repo.accountSecrets('acc1')).toEqual({
      accessToken: 'rotated-at',
      refreshToken: 'rotated-rt',
    });
    expect(await restarted.repo.clientSecret('github')).toBe(CLIENT_SECRET);
  });
});

describe('Repository: a secret that cannot be decrypted', () => {
  it('reports secretUnreadable for account tokens and client secrets, and logs no secret', async () => {
    const first = open(createTestSecretBox());
    await first.repo.saveProvider(provider(), CLIENT_SECRET);
    await first.repo.saveAccount(account(), {
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });

    const second = open(createFailingSecretBox());
    expect(await failureName(() => second.repo.accountSecrets('acc1'))).toBe('secretUnreadable');
    expect(await failureName(() => second.repo.clientSecret('github'))).toBe('secretUnreadable');
    // The metadata is still there: the account can be shown and reconnected.
    expect(second.repo.account('acc1')?.displayName).toBe('octocat');
    expect(second.repo.hasClientSecret('github')).toBe(true);
    expect(second.logger.entries.some((e) => e.level === 'error')).toBe(true);
  });

  it('reports secretUnreadable for a secret written with another key', async () => {
    const first = open(createTestSecretBox(Buffer.alloc(32, 1)));
    await first.repo.saveAccount(account(), {
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });
    const second = open(createTestSecretBox(Buffer.alloc(32, 2)));
    expect(await failureName(() => second.repo.accountSecrets('acc1'))).toBe('secretUnreadable');
  });
});
