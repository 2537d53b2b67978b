/**
 * Figure 3: a store of 1000 accounts, built through the repository (each account one
 * `repo.saveAccount`, as connects write them: AES-GCM secrets, one conf write per save, a real
 * file on disk). Measured on the full store:
 * - the time to update one account the way a refresh saves it (new metadata and secrets);
 * - the store file's size, in total and per account;
 * - for scale: a bare durable write of the same bytes (temp file, fsync, rename), the pieces of
 *   conf's write path (read + parse of the file, serialization), and a whole refresh through the
 *   core with 1000 accounts against the same refresh with one account (instant token endpoint).
 *
 * Token sizes are fixed and realistic rather than the test server's short opaque tokens: an
 * access token of 1200 characters (between Google's ~220 and an Entra JWT's ~2000), a refresh
 * token of 200 and an ID token of 900.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTestSecretBox } from '../tests/support/test-secret-box';
import { STORE_FILE_OPTIONS } from '../main/core/storage/store-file-options';
import type { StoredAccount } from '../main/core/storage/store-schema';
import { median, round, summarize, timeAsync, timeSync, type Summary } from './stats';
import type { BenchCore } from './setup';
import { durableWrite } from './durable-write';

export interface StoreSizeOptions {
  readonly accounts: number;
  /** Timed account updates on the full store. */
  readonly updates: number;
  /** Timed refreshes, with one account and with the full store. */
  readonly refreshes: number;
}

export const TOKEN_SIZES = { accessToken: 1200, refreshToken: 200, idToken: 900 } as const;

export interface StoreSizeResult {
  readonly accounts: number;
  readonly tokenSizes: typeof TOKEN_SIZES;
  readonly buildSeconds: number;
  readonly fileBytes: number;
  readonly bytesPerAccount: number;
  /** Of which ciphertext (the `secrets` values), per account. */
  readonly secretBytesPerAccount: number;
  /** `repo.saveAccount` of one account with new secrets, on the full store. */
  readonly update: Summary;
  /** Write + fsync + rename of the same file bytes: the floor any durable save pays. */
  readonly bareDurableWrite: Summary;
  readonly updateVsBareWrite: number;
  /** Medians, ms, of the pieces a save and a refresh pay on the full store. */
  readonly breakdown: {
    readonly readAndParseFile: number;
    readonly serializeDocument: number;
    readonly encryptSecrets: number;
    readonly accountViews: number;
  };
  readonly refreshOneAccount: Summary;
  readonly refreshFullStore: Summary;
  /** Median refresh with the full store / median refresh with one account. */
  readonly refreshSlowdown: number;
}

const secretsFor = (serial: number) => ({
  accessToken: `at${serial}`.padEnd(TOKEN_SIZES.accessToken, 'a'),
  refreshToken: `rt${serial}`.padEnd(TOKEN_SIZES.refreshToken, 'r'),
  idToken: `it${serial}`.padEnd(TOKEN_SIZES.idToken, 'i'),
});

const syntheticAccount = (base: StoredAccount, serial: number, now: number): StoredAccount => ({
  ...base,
  id: `bench-${serial.toString().padStart(4, '0')}`,
  subject: `subject-${serial}`,
  displayName: `user${serial}@example.com`,
  email: `user${serial}@example.com`,
  scopes: ['openid', 'email', 'profile'],
  createdAt: now,
  updatedAt: now,
});

const repeatSync = (times: number, work: () => unknown): number[] =>
  Array.from({ length: times }, () => timeSync(work));

const repeatAsync = async (times: number, work: () => Promise<unknown>): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < times; i += 1) out.push(await timeAsync(work));
  return out;
};

export const measureStoreSize = async (
  bench: BenchCore,
  options: StoreSizeOptions,
  progress: (message: string) => void,
): Promise<StoreSizeResult> => {
  const { core, parts, storeFile, dir } = bench.fixture;
  const { repo } = parts;
  // The whole of a refresh, what it does after answering included (the write of the store and
  // the list event, which are what grow with the store).
  const refresh = async () => {
    await core.accounts.refresh(bench.accountId);
    await core.settled();
  };

  // A refresh with one account, for the slowdown figure (warm-up first).
  for (let i = 0; i < 10; i += 1) await refresh();
  const refreshOne = await repeatAsync(options.refreshes, refresh);

  const base = repo.account(bench.accountId);
  if (!base) throw new Error('the connected account is missing');
  const existing = repo.accounts().length;
  const toAdd = options.accounts - existing;
  const started = Date.now();
  for (let serial = 0; serial < toAdd; serial += 1) {
    await repo.saveAccount(syntheticAccount(base, serial, Date.now()), secretsFor(serial));
    if ((serial + 1) % 250 === 0)
      progress(`  ${serial + 1 + existing}/${options.accounts} accounts`);
  }
  const buildSeconds = round((Date.now() - started) / 1000, 2);
  if (repo.accounts().length !== options.accounts) throw new Error('the store is not full');

  // One account updated as a refresh's result is written: new expiry, new secrets, kept in
  // memory on failure (written here before the save returns, so that it is timed).
  const ids = repo.accounts().map((a) => a.id);
  let serial = 0;
  const update = await repeatAsync(options.updates, async () => {
    serial += 1;
    const id = ids[(serial * 7919) % ids.length] ?? bench.accountId;
    const account = repo.account(id);
    if (!account) throw new Error(`account ${id} vanished`);
    const now = Date.now();
    await repo.saveAccount(
      { ...account, expiresAt: now + 3_600_000, obtainedAt: now, updatedAt: now },
      secretsFor(serial),
      { keepInMemoryOnFailure: true },
    );
  });

  const fileText = readFileSync(storeFile, 'utf8');
  const fileBytes = statSync(storeFile).size;
  const document = JSON.parse(fileText) as { secrets: Record<string, string> };
  const secretBytes = Object.values(document.secrets).reduce((sum, s) => sum + s.length, 0);

  const floorFile = join(dir, 'bare-write-floor.json');
  const bare = repeatSync(options.updates, () => durableWrite(floorFile, fileText));
  const box = createTestSecretBox();
  const plainSecrets = JSON.stringify(secretsFor(1));
  const breakdown = {
    readAndParseFile: round(
      median(repeatSync(11, () => JSON.parse(readFileSync(storeFile, 'utf8')))),
    ),
    serializeDocument: round(median(repeatSync(11, () => STORE_FILE_OPTIONS.serialize(document)))),
    encryptSecrets: round(median(repeatSync(101, () => box.encrypt(plainSecrets)))),
    accountViews: round(median(repeatSync(11, () => structuredClone(core.accounts.list())))),
  };

  progress('  refreshes on the full store');
  for (let i = 0; i < 3; i += 1) await refresh();
  const refreshFull = await repeatAsync(options.refreshes, refresh);

  return {
    accounts: options.accounts,
    tokenSizes: TOKEN_SIZES,
    buildSeconds,
    fileBytes,
    bytesPerAccount: Math.round(fileBytes / options.accounts),
    secretBytesPerAccount: Math.round(secretBytes / options.accounts),
    update: summarize(update),
    bareDurableWrite: summarize(bare),
    updateVsBareWrite: round(median(update) / median(bare), 2),
    breakdown,
    refreshOneAccount: summarize(refreshOne),
    refreshFullStore: summarize(refreshFull),
    refreshSlowdown: round(median(refreshFull) / median(refreshOne), 2),
  };
};
