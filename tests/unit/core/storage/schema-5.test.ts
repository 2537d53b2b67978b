/**
 * Schema 5 (providers through a token backend) changes nothing a version-4 store holds: it opens
 * as it was and is written back as version 5. The step is what keeps a Tokendesk that does not
 * know backends from reading a file with one: it would drop the backend (zod strips the key) and
 * send the provider's codes and refresh tokens to its token endpoint instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  SCHEMA_VERSION,
  storeDocument,
} from '../../../../main/core/storage/store-schema';
import { createApiFixture, ok, type ApiFixture } from '../../helpers/api-fixture';
import { MemoryKv } from '../../helpers/memory-kv';

const fixtures: ApiFixture[] = [];
afterEach(() => {
  for (const f of fixtures.splice(0)) f.dispose();
});

const provider = {
  id: 'team',
  presetId: 'oauth2',
  label: 'Team',
  clientId: 'team-client',
  clientAuth: 'none',
  scopes: ['read'],
  consentMode: 'embedded',
  endpoints: { authorization: 'https://idp.example/auth', token: 'https://idp.example/token' },
  createdAt: 1,
  updatedAt: 1,
};
const settings = { persistWeakSecrets: false, clipboardClearSeconds: 90, commandLineAccess: false };

describe('schema 5', () => {
  it('opens a version-4 store unchanged and writes it back as version 5', async () => {
    expect(SCHEMA_VERSION).toBe(5);
    const kv = new MemoryKv({
      schemaVersion: 4,
      providers: { team: provider },
      accounts: {},
      secrets: {},
      settings,
    });
    const f = createApiFixture({ kv });
    fixtures.push(f);
    const [view] = ok(await f.api.listProviders()).configured;
    expect(view).toMatchObject({ id: 'team', clientId: 'team-client' });
    expect(view).not.toHaveProperty('backend');
    expect(kv.store).toMatchObject({ schemaVersion: 5, providers: { team: provider } });
  });

  it('keeps a provider’s backend, which a version-4 document would lose', async () => {
    const backend = {
      url: 'https://backend.example',
      shape: 'google-style',
      redirectUri: 'https://app.example/oauth/callback',
    };
    const document = {
      schemaVersion: 5,
      providers: { team: { ...provider, backend } },
      accounts: {},
      secrets: {},
      settings,
    };
    expect(storeDocument.parse(document).providers.team?.backend).toEqual(backend);
    expect(MIGRATIONS).toHaveLength(5);
    const f = createApiFixture({ kv: new MemoryKv(structuredClone(document)) });
    fixtures.push(f);
    const [view] = ok(await f.api.listProviders()).configured;
    expect(view?.backend).toEqual({ ...backend, hasCredential: false });
    expect(view?.redirectUri).toBe(backend.redirectUri);
  });
});
