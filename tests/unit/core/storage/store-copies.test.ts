/**
 * The copies kept beside the store never hold a secret the store has dropped: opting out of weak
 * storage, disconnecting an account or deleting a provider removes the ciphertext from the
 * copies in the same step. A secret the store replaced (a rotated refresh token) stays in the
 * copies, which is what a restore brings back.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Repository, type SecretPolicy } from '../../../../main/core/storage/repository';
import {
  emptyDocument,
  type StoredAccount,
  type StoredProviderConfig,
} from '../../../../main/core/storage/store-schema';
import { createTestSecretBox, type TestSecretBox } from '../../../support/test-secret-box';
import { createCapturingLogger } from '../../helpers/capturing-logger';
import { openConfStore, tempStoreDir, type TempStoreDir } from '../../helpers/conf-store';

const WEAK_OPT_IN: SecretPolicy = { persist: true, protection: 'basic_text' };
const MEMORY_ONLY: SecretPolicy = { persist: false, protection: 'basic_text' };

let where: TempStoreDir;
beforeEach(() => {
  where = tempStoreDir();
});
afterEach(() => where.remove());

const provider: StoredProviderConfig = {
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

const account = (id: string): StoredAccount => ({
  id,
  providerId: 'github',
  presetId: 'github',
  subject: id,
  displayName: id,
  scopes: ['read:user'],
  tokenType: 'Bearer',
  expiresAt: 1_800_000_000_000,
  obtainedAt: 1_700_000_000_000,
  hasRefreshToken: true,
  status: 'ok',
  createdAt: 1,
  updatedAt: 1,
});

const open = (box: TestSecretBox, policy: SecretPolicy) => {
  const { opened } = openConfStore(where);
  return new Repository(opened.kv, opened.document, box, policy, createCapturingLogger());
};

/** Every copy beside the store (not the store itself), with the secret keys it holds. */
const copiesSecretKeys = (): Record<string, string[]> =>
  Object.fromEntries(
    readdirSync(where.dir)
      .filter((name) => name !== 'store.json')
      .map((name) => {
        const doc = JSON.parse(readFileSync(`${where.dir}/${name}`, 'utf8')) as {
          secrets?: Record<string, string>;
        };
        return [name, Object.keys(doc.secrets ?? {}).sort()];
      }),
  );

/** A store with a client secret and two accounts, opened twice: its last good copy holds them. */
const storeWithCopies = async (box: TestSecretBox) => {
  const first = open(box, WEAK_OPT_IN);
  await first.saveProvider(provider, 'client-secret');
  await first.saveAccount(account('a1'), { accessToken: 'at-a1', refreshToken: 'rt-a1' });
  await first.saveAccount(account('a2'), { accessToken: 'at-a2', refreshToken: 'rt-a2' });
  const repo = open(box, WEAK_OPT_IN);
  expect(copiesSecretKeys()).toEqual({
    'store.json.last-good': ['account:a1', 'account:a2', 'client:github'],
  });
  return repo;
};

describe('the copies of the store', () => {
  it('lose every ciphertext when the user opts out of storing secrets on weak protection', async () => {
    const box = createTestSecretBox();
    const repo = await storeWithCopies(box);

    await repo.changePolicy(MEMORY_ONLY);

    expect(copiesSecretKeys()).toEqual({ 'store.json.last-good': [] });
    expect(readFileSync(where.file, 'utf8')).not.toContain('tb1:');
    for (const name of readdirSync(where.dir))
      expect(readFileSync(`${where.dir}/${name}`, 'utf8'), name).not.toContain('tb1:');
  });

  it('lose a disconnected account’s tokens and a deleted provider’s secret', async () => {
    const box = createTestSecretBox();
    const repo = await storeWithCopies(box);

    repo.deleteAccount('a1');
    expect(copiesSecretKeys()).toEqual({
      'store.json.last-good': ['account:a2', 'client:github'],
    });
    repo.deleteAccount('a2');
    repo.deleteProvider('github');
    expect(copiesSecretKeys()).toEqual({ 'store.json.last-good': [] });
  });

  it('keep a rotated token’s earlier ciphertext, which a restore brings back', async () => {
    const box = createTestSecretBox();
    const repo = await storeWithCopies(box);
    const before = readFileSync(`${where.file}.last-good`, 'utf8');

    await repo.saveAccount(account('a1'), { accessToken: 'at-a1-2', refreshToken: 'rt-a1-2' });

    expect(readFileSync(`${where.file}.last-good`, 'utf8')).toBe(before);
  });

  it('are cleaned at the next start of a secret the store dropped while the copy could not be rewritten', () => {
    const box = createTestSecretBox();
    writeFileSync(
      where.file,
      JSON.stringify({ ...emptyDocument(), secrets: { 'client:github': box.encrypt('s') } }),
    );
    writeFileSync(
      `${where.file}.schema-2`,
      JSON.stringify({
        ...emptyDocument(),
        schemaVersion: 2,
        secrets: { 'client:github': box.encrypt('s'), 'account:gone': box.encrypt('t') },
      }),
    );

    openConfStore(where);

    expect(copiesSecretKeys()).toEqual({
      'store.json.last-good': ['client:github'],
      'store.json.schema-2': ['client:github'],
    });
  });
});
