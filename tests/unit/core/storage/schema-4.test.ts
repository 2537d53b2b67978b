/**
 * Schema 4 (machine accounts, private_key_jwt) changes nothing a version-3 store holds: such a
 * store opens with its providers and accounts as they were, and is written back as version 4,
 * which a Tokendesk that knows neither then leaves alone as a newer version's file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../../main/core/storage/store-schema';
import { createApiFixture, ok, type ApiFixture } from '../../helpers/api-fixture';
import { MemoryKv } from '../../helpers/memory-kv';

const fixtures: ApiFixture[] = [];
afterEach(() => {
  for (const f of fixtures.splice(0)) f.dispose();
});

const version3 = {
  schemaVersion: 3,
  providers: {
    work: {
      id: 'work',
      presetId: 'oauth2',
      label: 'Work',
      clientId: 'work-client',
      clientAuth: 'client_secret_basic',
      scopes: ['read'],
      consentMode: 'embedded',
      endpoints: { authorization: 'https://idp.example/auth', token: 'https://idp.example/token' },
      createdAt: 1,
      updatedAt: 1,
    },
  },
  accounts: {
    a1: {
      id: 'a1',
      providerId: 'work',
      presetId: 'oauth2',
      subject: 'user-1',
      displayName: 'user@example.test',
      scopes: ['read'],
      tokenType: 'Bearer',
      expiresAt: null,
      obtainedAt: 1,
      hasRefreshToken: true,
      status: 'ok',
      createdAt: 1,
      updatedAt: 1,
    },
  },
  secrets: {},
  settings: { persistWeakSecrets: false, clipboardClearSeconds: 90, commandLineAccess: false },
};

describe('a version-3 store', () => {
  it('opens with its providers and accounts, a person’s account still a person’s', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(4);
    const kv = new MemoryKv(structuredClone(version3));
    const f = createApiFixture({ kv });
    fixtures.push(f);

    const [provider] = ok(await f.api.listProviders()).configured;
    expect(provider).toMatchObject({ id: 'work', clientAuth: 'client_secret_basic' });
    expect(provider).not.toHaveProperty('hasPrivateKey');
    const [account] = ok(await f.api.listAccounts());
    expect(account).toMatchObject({ id: 'a1', displayName: 'user@example.test' });
    expect(account).not.toHaveProperty('machine');
    expect(kv.store).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      providers: version3.providers,
      accounts: version3.accounts,
    });
  });
});
