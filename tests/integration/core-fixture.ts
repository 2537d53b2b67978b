/**
 * Builds a real core for integration tests: conf on a temp directory, a real AES secret box,
 * an in-memory clipboard, and whatever consent port the test drives.
 */
import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '../../main/core/api/create-api';
import { assembleCore, type Core, type CoreOptions, type CoreParts } from '../../main/core/core';
import type { ConsentPort, KeyValueStore } from '../../main/core/ports';
import { openStore } from '../../main/core/storage/open-store';
import type { AccountSecrets } from '../../main/core/storage/repository';
import type { TokendeskApi } from '../../shared/ipc-contract';
import type { AccountView } from '../../shared/model';
import type { Result } from '../../shared/errors';
import { createMemoryClipboard } from '../support/memory-clipboard';
import { createTestSecretBox } from '../support/test-secret-box';
import { withDurableWrites } from '../../main/core/storage/durable-store-writes';
import { STORE_FILE_OPTIONS } from '../../main/core/storage/store-file-options';

export interface CoreFixture {
  readonly core: Core;
  /** What the core is built from, for tests that look inside (the repository, the Refresher). */
  readonly parts: CoreParts;
  readonly api: TokendeskApi;
  readonly clipboard: ReturnType<typeof createMemoryClipboard>;
  readonly storeFile: string;
  readonly dir: string;
  dispose(): void;
}

export const createStoreKv = (dir: string): KeyValueStore =>
  withDurableWrites(
    new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: 'tokendesk',
      ...STORE_FILE_OPTIONS,
      projectName: 'tokendesk',
    }),
  );

export const createCoreFixture = (
  consent: ConsentPort,
  options: Partial<
    Omit<CoreOptions, 'store' | 'consent' | 'clipboard' | 'secretBox' | 'secretProtection'>
  > & {
    readonly dir?: string;
  } = {},
): CoreFixture => {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tokendesk-it-'));
  const clipboard = createMemoryClipboard();
  const storeFile = join(dir, 'tokendesk.json');
  const store = openStore({
    filePath: storeFile,
    create: () => createStoreKv(dir),
    logger: options.logger ?? console,
    now: Date.now,
  });
  const { core, parts } = assembleCore({
    ...options,
    store,
    consent,
    clipboard,
    secretBox: createTestSecretBox(),
    secretProtection: { backend: 'test-aes-gcm', available: true, weak: false },
  });
  return {
    core,
    parts,
    api: createApi(core),
    clipboard,
    storeFile,
    dir,
    dispose() {
      core.dispose();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Unwraps an API answer, failing the test with the error's shape when it is not ok. */
export const ok = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
};

/** What a test reads back from a fixture: through the API, and what only the core holds. */
export interface FixtureReaders {
  accounts(): Promise<readonly AccountView[]>;
  account(accountId: string): Promise<AccountView | undefined>;
  /** What the core holds for an account (tests only: the API never answers with these). */
  secrets(accountId: string): Promise<AccountSecrets>;
  /**
   * The store file on disk, as text, once the writes the core makes after answering (a
   * refresh's result: SaveOptions.writeSoon) are done: what a restart would read.
   */
  storeText(): Promise<string>;
}

export const fixtureReaders = (fixture: CoreFixture): FixtureReaders => ({
  accounts: async () => ok(await fixture.api.listAccounts()),
  account: async (accountId) =>
    ok(await fixture.api.listAccounts()).find((account) => account.id === accountId),
  secrets: async (accountId) => {
    const secrets = await fixture.parts.repo.accountSecrets(accountId);
    if (secrets === undefined) throw new Error(`no secrets stored for ${accountId}`);
    return secrets;
  },
  storeText: async () => {
    await fixture.core.settled();
    return readFileSync(fixture.storeFile, 'utf8');
  },
});

export const failed = <T>(result: Result<T>) => {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
};
