/**
 * A real core and API on in-memory ports: a MemoryKv opened through openStore, the test AES
 * secret box, an in-memory clipboard, a capturing logger and whatever consent port the test
 * scripts. The background refresh timer is off unless a test asks for it.
 */
import { createApi } from '../../../main/core/api/create-api';
import { assembleCore, type Core, type CoreOptions, type CoreParts } from '../../../main/core/core';
import type { ConsentPort, SecretBox } from '../../../main/core/ports';
import { openStore } from '../../../main/core/storage/open-store';
import type { ApiError, Result } from '../../../shared/errors';
import type { TokendeskApi } from '../../../shared/ipc-contract';
import { createMemoryClipboard, type MemoryClipboard } from '../../support/memory-clipboard';
import { createTestSecretBox } from '../../support/test-secret-box';
import { createCapturingLogger, type CapturingLogger } from './capturing-logger';
import { MemoryKv } from './memory-kv';
import { consentThatMustNotRun } from './scripted-consent';

export interface ApiFixture {
  readonly core: Core;
  /** What the core is built from, for tests that look inside (the repository, the Refresher). */
  readonly parts: CoreParts;
  readonly api: TokendeskApi;
  readonly kv: MemoryKv;
  readonly clipboard: MemoryClipboard;
  readonly logger: CapturingLogger;
  readonly secretBox: SecretBox;
  dispose(): void;
}

export type ApiFixtureOptions = Partial<
  Omit<CoreOptions, 'store' | 'consent' | 'clipboard' | 'secretBox' | 'logger'>
> & {
  readonly consent?: ConsentPort;
  readonly kv?: MemoryKv;
  readonly secretBox?: SecretBox;
  readonly clipboard?: MemoryClipboard;
  readonly persistSecrets?: boolean;
};

export const createApiFixture = (options: ApiFixtureOptions = {}): ApiFixture => {
  const {
    consent,
    kv: givenKv,
    secretBox: givenBox,
    clipboard: givenClipboard,
    persistSecrets,
    ...rest
  } = options;
  const kv = givenKv ?? new MemoryKv();
  const logger = createCapturingLogger();
  const secretBox = givenBox ?? createTestSecretBox();
  const clipboard = givenClipboard ?? createMemoryClipboard();
  const store = openStore({
    filePath: '/nonexistent/tokendesk-unit-test.json',
    create: () => kv,
    logger,
    now: () => Date.now(),
  });
  const { core, parts } = assembleCore({
    keepFresh: false,
    ...rest,
    store,
    secretBox,
    // Memory-only is what a machine without a keyring gets (Linux basic_text).
    secretProtection: rest.secretProtection ?? {
      backend: persistSecrets === false ? 'basic_text' : 'test-aes-gcm',
      available: true,
      weak: persistSecrets === false,
    },
    consent: consent ?? consentThatMustNotRun(),
    clipboard,
    logger,
  });
  return {
    core,
    parts,
    api: createApi(core),
    kv,
    clipboard,
    logger,
    secretBox,
    dispose: () => core.dispose(),
  };
};

/** Unwraps an answer that must be ok, failing with the error's shape otherwise. */
export const ok = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
};

/** Unwraps an answer that must be an error. */
export const failed = <T>(result: Result<T>): ApiError => {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
};
