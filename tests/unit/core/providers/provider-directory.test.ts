/**
 * ProviderDirectory on its own: presets and stored configurations, what it refuses and why, and
 * each provider's runtime built once and built again after a change.
 */
import { describe, expect, it } from 'vitest';
import { CoreFailure } from '../../../../main/core/core-failure';
import { DEFAULT_HTTP_LIMITS } from '../../../../main/core/http/http-client';
import { silentLogger } from '../../../../main/core/ports';
import {
  ConfigRejected,
  ProviderDirectory,
} from '../../../../main/core/providers/provider-directory';
import { Repository } from '../../../../main/core/storage/repository';
import { emptyDocument } from '../../../../main/core/storage/store-schema';
import type { ParsedInput } from '../../../../shared/ipc-contract';
import { PRESETS } from '../../../../shared/providers';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { MemoryKv } from '../../helpers/memory-kv';

const open = () => {
  const repo = new Repository(
    new MemoryKv(),
    emptyDocument(),
    createTestSecretBox(),
    { persist: true, protection: 'test-aes-gcm' },
    silentLogger,
  );
  const directory = new ProviderDirectory(
    repo,
    PRESETS,
    {
      limits: DEFAULT_HTTP_LIMITS,
      discover: () => Promise.reject(new Error('no discovery in this test')),
    },
    () => 1_700_000_000_000,
  );
  return { repo, directory };
};

const github = (overrides: Partial<ParsedInput<'saveProvider'>> = {}) =>
  ({
    presetId: 'github',
    clientId: 'Iv1.abc',
    clientSecret: 'github-client-secret',
    ...overrides,
  }) as ParsedInput<'saveProvider'>;

const failureName = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    return error instanceof CoreFailure ? error.errorName : 'not a CoreFailure';
  }
  return undefined;
};

describe('ProviderDirectory', () => {
  it('lists what was saved, with whether a secret is stored and never the secret', async () => {
    const { directory } = open();
    expect(directory.list()).toEqual([]);

    await directory.save(github(), 0);

    const [view] = directory.list();
    expect(view).toMatchObject({ id: 'github', presetId: 'github', hasClientSecret: true });
    expect(JSON.stringify(directory.list())).not.toContain('github-client-secret');
  });

  it('tells an unknown provider from a preset that is not configured yet', () => {
    const { directory } = open();
    expect(failureName(() => directory.config('nope'))).toBe('unsupportedProvider');
    expect(failureName(() => directory.config('google'))).toBe('providerNotConfigured');
  });

  it('refuses to add a configuration under an ID already taken, naming the field', async () => {
    const { directory } = open();
    await directory.save(github(), 0);

    const refused = await directory.save(github({ intent: 'add' }), 0).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigRejected);
    expect((refused as ConfigRejected).detail[0]).toMatchObject({
      field: 'id',
      expression: 'unique',
    });
  });

  it('refuses to move a provider its accounts or a sign-in would follow', async () => {
    const { directory } = open();
    await directory.save(github(), 0);

    await expect(directory.save(github({ clientId: 'Iv1.other' }), 1)).rejects.toMatchObject({
      errorName: 'providerInUse',
    });
    await expect(directory.save(github({ clientId: 'Iv1.other' }), 0, true)).rejects.toMatchObject({
      errorName: 'consentInProgress',
    });
    // What does not move the provider can change with accounts connected.
    await directory.save(github({ label: 'Work GitHub' }), 1);
    expect(directory.list()[0]?.label).toBe('Work GitHub');
  });

  it('deletes only a provider without accounts', async () => {
    const { directory } = open();
    await directory.save(github(), 0);

    expect(failureName(() => directory.delete('github', 2))).toBe('providerInUse');
    directory.delete('github', 0);
    expect(directory.list()).toEqual([]);
  });

  it('builds a runtime once, and again after the configuration changed', async () => {
    const { directory } = open();
    await directory.save(github(), 0);

    const first = directory.runtime('github');
    expect(directory.runtime('github')).toBe(first);
    expect((await first).client.client_id).toBe('Iv1.abc');

    await directory.save(github({ clientId: 'Iv1.new' }), 0);
    const rebuilt = directory.runtime('github');
    expect(rebuilt).not.toBe(first);
    expect((await rebuilt).client.client_id).toBe('Iv1.new');
  });
});
