/**
 * "Device code" as a provider's way to sign in, in the directory: saved and kept like the other
 * modes (Google's system-browser rule concerns embedded windows only), the device endpoint of a
 * preset or a typed one reaching the runtime with the tenant filled in, held to the URL rules,
 * and a change of it moving the provider like any endpoint that receives the client's secret.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_LIMITS } from '../../../../main/core/http/http-client';
import { silentLogger } from '../../../../main/core/ports';
import { ProviderDirectory } from '../../../../main/core/providers/provider-directory';
import { Repository } from '../../../../main/core/storage/repository';
import { emptyDocument, storedProviderConfig } from '../../../../main/core/storage/store-schema';
import type { ParsedInput } from '../../../../shared/ipc-contract';
import { PRESETS } from '../../../../shared/providers';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { MemoryKv } from '../../helpers/memory-kv';

const openWithRepo = () => {
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

const open = () => openWithRepo().directory;

const input = (fields: Record<string, unknown>) => fields as unknown as ParsedInput<'saveProvider'>;

const custom = (deviceAuthorization: string) =>
  input({
    id: 'tv',
    presetId: 'oauth2',
    clientId: 'tv-client',
    consentMode: 'device-code',
    endpoints: {
      authorization: 'https://as.example.test/authorize',
      token: 'https://as.example.test/token',
      deviceAuthorization,
    },
  });

describe('device-code mode in the provider directory', () => {
  it('Google keeps "device code" (only embedded windows are refused), and its device endpoint', async () => {
    const directory = open();
    const view = await directory.save(
      input({
        presetId: 'google',
        clientId: 'g.apps',
        clientSecret: 'g-secret',
        consentMode: 'device-code',
      }),
      0,
    );
    expect(view.consentMode).toBe('device-code');
    expect(directory.list()[0]?.consentMode).toBe('device-code');
    expect((await directory.runtime('google')).as.device_authorization_endpoint).toBe(
      'https://oauth2.googleapis.com/device/code',
    );
  });

  it("Microsoft's device endpoint names the configured tenant", async () => {
    const directory = open();
    await directory.save(
      input({
        presetId: 'microsoft',
        clientId: 'app-id',
        tenant: 'contoso.example',
        consentMode: 'device-code',
      }),
      0,
    );
    expect((await directory.runtime('microsoft')).as.device_authorization_endpoint).toBe(
      'https://login.microsoftonline.com/contoso.example/oauth2/v2.0/devicecode',
    );
  });

  it('a typed device endpoint reaches the runtime; one that breaks the URL rules is refused before use', async () => {
    const directory = open();
    await directory.save(custom('https://as.example.test/device'), 0);
    expect((await directory.runtime('tv')).as.device_authorization_endpoint).toBe(
      'https://as.example.test/device',
    );

    await directory.save(custom('http://as.example.test/device'), 0);
    await expect(directory.runtime('tv')).rejects.toMatchObject({
      errorName: 'discoveryFailed',
      message: expect.stringContaining('device authorization endpoint') as string,
    });
  });

  it('moving the device endpoint to another server moves the provider (its accounts would follow)', async () => {
    const directory = open();
    await directory.save(custom('https://as.example.test/device'), 0);
    await expect(
      directory.save(custom('https://elsewhere.example.test/device'), 1),
    ).rejects.toMatchObject({
      errorName: 'providerInUse',
    });
    // Another path on the same server is not a move.
    await directory.save(custom('https://as.example.test/oauth/device'), 1);
  });

  it('is stored beside a browser mode, so an older Tokendesk still reads the file and signs in with that', async () => {
    const { repo, directory } = openWithRepo();
    await directory.save(input({ presetId: 'github', clientId: 'Iv1.a', clientSecret: 's' }), 0);
    await directory.save(
      input({ presetId: 'github', clientId: 'Iv1.a', consentMode: 'device-code' }),
      0,
    );
    const stored = repo.provider('github');
    expect(stored).toMatchObject({ consentMode: 'embedded', signIn: 'device-code' });
    expect(directory.list()[0]?.consentMode).toBe('device-code');
    // The schema before the device grant: no `signIn`, which zod strips; the rest is valid.
    const older = storedProviderConfig.omit({ signIn: true });
    expect(older.parse(stored)).toMatchObject({ consentMode: 'embedded' });
    expect(older.parse(stored)).not.toHaveProperty('signIn');

    // Back to a browser mode: the key goes.
    await directory.save(
      input({ presetId: 'github', clientId: 'Iv1.a', consentMode: 'system-browser' }),
      0,
    );
    expect(repo.provider('github')).not.toHaveProperty('signIn');
    expect(directory.list()[0]?.consentMode).toBe('system-browser');
  });

  it('an edit that leaves the mode out keeps signing in with a code', async () => {
    const { directory } = openWithRepo();
    await directory.save(custom('https://as.example.test/device'), 0);
    await directory.save(
      input({ ...custom('https://as.example.test/device'), consentMode: undefined, label: 'TV' }),
      0,
    );
    expect(directory.list()[0]).toMatchObject({ label: 'TV', consentMode: 'device-code' });
  });
});
