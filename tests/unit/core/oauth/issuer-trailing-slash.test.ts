/**
 * Some issuers end in "/" after a path (authentik: https://host/application/o/<slug>/), and
 * discovery compares the metadata's issuer with the configured one exactly. The issuer is kept
 * as typed, so connecting to such a server works.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, ok, type ApiFixture } from '../../helpers/api-fixture';
import { scriptedConsent } from '../../helpers/scripted-consent';
import { SUBJECT, startTinyIdentityServer, type TinyIdentityServer } from './tiny-identity-server';

let authentik: TinyIdentityServer;
let f: ApiFixture | undefined;

beforeAll(async () => {
  authentik = await startTinyIdentityServer({
    issuerPath: '/application/o/tokendesk/',
    paths: {
      authorization: '/application/o/authorize/',
      token: '/application/o/token/',
      userinfo: '/application/o/userinfo/',
    },
  });
});
afterAll(() => authentik.close());
afterEach(() => {
  f?.dispose();
  f = undefined;
});

describe('an issuer ending in a slash (authentik)', () => {
  it('is saved exactly as typed, and connecting through its discovery works', async () => {
    expect(authentik.issuer).toMatch(/\/application\/o\/tokendesk\/$/);
    f = createApiFixture({ consent: scriptedConsent(authentik.consent()) });
    const saved = ok(
      await f.api.saveProvider({
        id: 'authentik',
        presetId: 'oidc',
        clientId: authentik.clientId,
        issuer: authentik.issuer,
      }),
    );

    const { account } = ok(await f.api.connect({ providerId: 'authentik' }));
    expect(account).toMatchObject({ status: 'ok', subject: SUBJECT });
    expect(saved.issuer).toBe(authentik.issuer);
    expect(ok(await f.api.listProviders()).configured[0]?.issuer).toBe(authentik.issuer);
    // The discovery document was read at the issuer's own path.
    expect(authentik.server.requests.map((r) => r.path)).toContain(
      '/application/o/tokendesk/.well-known/openid-configuration',
    );
  });
});
