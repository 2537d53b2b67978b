/**
 * Microsoft Entra ID accepts a tenant as its domain (contoso.onmicrosoft.com) or its ID in any
 * case, and always writes the tenant's ID, in lower case, in the ID token's `iss`. Connects and
 * refreshes through such a tenant must work; `iss` must still name a tenant ID, and for a domain
 * the same one as the token's `tid`.
 *
 * tests/support/fake-microsoft.ts writes whatever named the tenant into `iss`; `consentTransform`
 * swaps its code for one issued the way Entra issues it (for the tenant's ID, with the request's
 * PKCE challenge, scope and nonce), so the app sees what it would see at Entra.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import { startFakeMicrosoft, type FakeMicrosoft } from '../support/fake-microsoft';
import { failed, ok } from './core-fixture';
import { createProviderApp, type ProviderApp } from './providers-app';

const REGISTERED = 'http://localhost/callback/microsoft';

describe('Microsoft Entra ID: a tenant named by its domain or an upper-case ID', () => {
  let entra: FakeMicrosoft;
  let apps: ProviderApp[] = [];

  beforeAll(async () => {
    entra = await startFakeMicrosoft();
  });
  afterAll(async () => {
    await entra?.stop();
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    apps = [];
    expect(entra.errors).toEqual([]);
  });

  /** The redirect as Entra sends it: a code for `issuedTenant`, whatever named the authority. */
  const issuedFor =
    (issuedTenant: string) =>
    (callback: URL): URL => {
      const request = entra.authorizationRequests.at(-1) ?? {};
      const code = entra.createCode(entra.nextUser, {
        redirectUri: request.redirect_uri ?? '',
        tenant: issuedTenant,
        scope: (request.scope ?? '').split(' '),
        ...(request.code_challenge !== undefined
          ? { codeChallenge: request.code_challenge, codeChallengeMethod: 'S256' as const }
          : {}),
        ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
      });
      const url = new URL(callback);
      url.searchParams.set('code', code);
      return url;
    };

  const newApp = async (tenant: string, issuedTenant = entra.userTenantId) => {
    const app = createProviderApp(
      { microsoft: entra },
      { consentTransform: issuedFor(issuedTenant) },
    );
    apps.push(app);
    await app.save({ presetId: 'microsoft', clientId: entra.clientId, tenant });
    return app;
  };

  it('connects and refreshes through a tenant given as its domain', async () => {
    const app = await newApp('contoso.onmicrosoft.com');
    const { account } = ok(await app.api.connect({ providerId: 'microsoft' }));
    expect(entra.authorizationRequests.at(-1)?.tenant).toBe('contoso.onmicrosoft.com');
    expect(account).toMatchObject({
      status: 'ok',
      displayName: entra.userFor('adele').preferredUsername,
    });
    // The refreshed ID token names the tenant's ID as well.
    expect(ok(await app.api.refreshAccount({ accountId: account.id })).status).toBe('ok');
  });

  it('connects and refreshes through a tenant ID typed in upper case', async () => {
    const app = await newApp(entra.userTenantId.toUpperCase());
    const { account } = ok(await app.api.connect({ providerId: 'microsoft' }));
    expect(entra.authorizationRequests.at(-1)?.tenant).toBe(entra.userTenantId.toUpperCase());
    expect(account.status).toBe('ok');
    expect(ok(await app.api.refreshAccount({ accountId: account.id })).status).toBe('ok');
  });

  it('exchanges a code obtained outside the app through a domain tenant', async () => {
    const app = await newApp('contoso.onmicrosoft.com');
    const code = entra.createCode('adele', { redirectUri: REGISTERED, tenant: entra.userTenantId });
    const answer = ok(await app.api.exchange({ provider: 'microsoft', code }));
    expect(answer.success).toBe(true);
  });

  it('through a domain, still refuses an `iss` that names no tenant ID', async () => {
    const app = await newApp('contoso.onmicrosoft.com', 'fabrikam.example');
    const error = failed(await app.api.connect({ providerId: 'microsoft' }));
    expect(isError(error, 'exchangeFailed')).toBe(true);
    expect(error.message).toMatch(/“iss” claim/);
    expect(await app.accounts()).toEqual([]);
  });

  it('through an upper-case tenant ID, still refuses another tenant’s ID', async () => {
    const app = await newApp(
      entra.userTenantId.toUpperCase(),
      'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    );
    const error = failed(await app.api.connect({ providerId: 'microsoft' }));
    expect(isError(error, 'exchangeFailed')).toBe(true);
    expect(error.message).toMatch(/“iss” claim/);
    expect(await app.accounts()).toEqual([]);
  });
});
