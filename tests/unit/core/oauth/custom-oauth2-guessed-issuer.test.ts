/**
 * The custom OAuth 2.0 preset has endpoints and, usually, no issuer. Tokendesk must not hold the
 * server to an issuer it guessed (the authorization endpoint's origin): Keycloak's endpoints sit
 * under https://host/realms/<realm>/..., and its RFC 9207 `iss` and ID tokens name the realm.
 * Where the user did configure an issuer, both are still checked against it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../../../shared/errors';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { scriptedConsent } from '../../helpers/scripted-consent';
import { startTinyIdentityServer, type TinyIdentityServer } from './tiny-identity-server';

let keycloak: TinyIdentityServer;
let f: ApiFixture | undefined;

beforeAll(async () => {
  keycloak = await startTinyIdentityServer({
    issuerPath: '/realms/acme',
    paths: {
      authorization: '/realms/acme/protocol/openid-connect/auth',
      token: '/realms/acme/protocol/openid-connect/token',
      userinfo: '/realms/acme/protocol/openid-connect/userinfo',
    },
  });
});
afterAll(() => keycloak.close());
afterEach(() => {
  f?.dispose();
  f = undefined;
  keycloak.idTokenClaims = {};
});

const appWith = async (
  callbackExtra: Readonly<Record<string, string>>,
  config: { readonly scopes: string[]; readonly issuer?: string },
): Promise<ApiFixture> => {
  const fixture = createApiFixture({ consent: scriptedConsent(keycloak.consent(callbackExtra)) });
  f = fixture;
  ok(
    await fixture.api.saveProvider({
      id: 'keycloak',
      presetId: 'oauth2',
      clientId: keycloak.clientId,
      endpoints: keycloak.endpoints,
      ...config,
    }),
  );
  return fixture;
};

describe('custom OAuth 2.0 without a configured issuer (Keycloak endpoints under a realm)', () => {
  it('connects when the redirect carries RFC 9207 iss naming the realm', async () => {
    keycloak.idTokenClaims = null;
    const app = await appWith({ iss: keycloak.issuer }, { scopes: ['profile'] });
    const { account } = ok(await app.api.connect({ providerId: 'keycloak' }));
    expect(account).toMatchObject({ status: 'ok', displayName: 'user@example.test' });
  });

  it('connects when the token response carries an ID token issued by the realm', async () => {
    const app = await appWith({}, { scopes: ['openid', 'profile'] });
    const { account } = ok(await app.api.connect({ providerId: 'keycloak' }));
    // Identity still comes from user-info, as for every plain OAuth 2.0 configuration.
    expect(account).toMatchObject({ status: 'ok', displayName: 'user@example.test' });
    // Refresh responses carry the realm's ID token too.
    expect(ok(await app.api.refreshAccount({ accountId: account.id })).status).toBe('ok');
  });

  it('connects with both, as Keycloak answers a request with scope openid', async () => {
    const app = await appWith({ iss: keycloak.issuer }, { scopes: ['openid'] });
    expect(ok(await app.api.connect({ providerId: 'keycloak' })).account.status).toBe('ok');
  });
});

describe('custom OAuth 2.0 with a configured issuer', () => {
  it('still refuses a redirect whose iss names another server', async () => {
    const app = await appWith(
      { iss: 'https://evil.example/realms/acme' },
      { scopes: ['profile'], issuer: keycloak.issuer },
    );
    const error = failed(await app.api.connect({ providerId: 'keycloak' }));
    expect(isError(error, 'consentIssuerMismatch')).toBe(true);
    expect(app.parts.repo.accounts()).toEqual([]);
  });

  it('accepts the redirect and ID token of the configured issuer', async () => {
    const app = await appWith(
      { iss: keycloak.issuer },
      { scopes: ['openid'], issuer: keycloak.issuer },
    );
    expect(ok(await app.api.connect({ providerId: 'keycloak' })).account.status).toBe('ok');
  });

  it('still refuses an ID token from another issuer', async () => {
    keycloak.idTokenClaims = { iss: 'https://evil.example/realms/acme' };
    const app = await appWith({}, { scopes: ['openid'], issuer: keycloak.issuer });
    const error = failed(await app.api.connect({ providerId: 'keycloak' }));
    expect(isError(error, 'exchangeFailed')).toBe(true);
    expect(error.message).toMatch(/“iss” claim/);
  });
});
