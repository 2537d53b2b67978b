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
  return new ProviderDirectory(
    repo,
    PRESETS,
    {
      limits: DEFAULT_HTTP_LIMITS,
      discover: () => Promise.reject(new Error('no discovery in this test')),
    },
    () => 1_700_000_000_000,
  );
};

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
});
