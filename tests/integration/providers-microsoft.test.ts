/**
 * Microsoft Entra ID (v2), as its documentation says it behaves (docs/PROVIDERS.md), through the
 * real core and the shipped Microsoft preset pointed at tests/support/fake-microsoft.ts:
 * - a public desktop client: offline_access asked for, PKCE, no secret, no Origin header;
 * - tenants: `common`/`organizations` issue ID tokens naming the user's own tenant, accepted only
 *   in that exact form; a specific tenant is checked exactly;
 * - every refresh returns a new refresh token, and the app keeps the new one;
 * - no revocation endpoint: disconnect says so and deletes the account locally;
 * - exchange({ provider, code }) for a code obtained outside the app.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import { stableGuid } from '../support/fake-ledger';
import { startFakeMicrosoft, type FakeMicrosoft } from '../support/fake-microsoft';
import { s256Challenge } from '../support/pkce-check';
import { failed, ok } from './core-fixture';
import {
  createProviderApp,
  expectCleanError,
  grants,
  type ProviderApp,
  type ProviderAppOptions,
} from './providers-app';

const REGISTERED = 'http://localhost/callback/microsoft';

describe('Microsoft Entra ID', () => {
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
    entra.nextUser = 'adele';
    entra.includeEmail = false;
    expect(entra.errors).toEqual([]);
  });

  const newApp = async (tenant?: string, options: ProviderAppOptions = {}) => {
    const app = createProviderApp({ microsoft: entra }, options);
    apps.push(app);
    await app.save({
      presetId: 'microsoft',
      clientId: entra.clientId,
      ...(tenant !== undefined ? { tenant } : {}),
    });
    return app;
  };

  it('connects a public client through `common`: offline_access, PKCE, nonce, no secret, no Origin', async () => {
    const app = await newApp();
    const before = entra.requests.length;
    const { account } = ok(await app.api.connect({ providerId: 'microsoft' }));

    const authorization = entra.authorizationRequests.at(-1) ?? {};
    expect(authorization).toMatchObject({
      tenant: 'common',
      client_id: entra.clientId,
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: REGISTERED,
    });
    expect(authorization.scope?.split(' ')).toContain('offline_access');
    expect(authorization.nonce).toMatch(/^[\w-]{22,}$/);
    expect(authorization.state).toMatch(/^[\w-]{22,}$/);

    const [exchange, ...more] = entra.requests
      .slice(before)
      .filter((r) => r.path === '/common/oauth2/v2.0/token');
    expect(more).toEqual([]);
    expect(exchange?.headers.origin).toBeUndefined();
    expect(exchange?.headers.authorization).toBeUndefined();
    expect(exchange?.form.client_secret).toBeUndefined();
    expect(exchange?.form.code_verifier).toMatch(/^[\w-]{43,128}$/);

    // The ID token named the user's tenant, not `common`, and was accepted.
    expect(entra.idTokenIssuerFor('common')).toBe(`${entra.url}/${entra.userTenantId}/v2.0`);
    const adele = entra.userFor('adele');
    // No email in the ID token (common at Entra): shown by preferred_username.
    expect(account).toMatchObject({
      presetId: 'microsoft',
      status: 'ok',
      canRefresh: true,
      displayName: adele.preferredUsername,
    });
    expect(account.email).toBeUndefined();
    expect(account.scopes).toContain('https://graph.microsoft.com/User.Read');
    const secrets = await app.secrets(account.id);
    expect(await entra.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(true);

    // When the account has an email, it is shown.
    entra.includeEmail = true;
    entra.nextUser = 'megan';
    const megan = ok(await app.api.connect({ providerId: 'microsoft' })).account;
    expect(megan).toMatchObject({
      displayName: 'megan@contoso.example',
      email: 'megan@contoso.example',
    });
  });

  it('accepts the user’s tenant in `iss` through `organizations`, and checks a specific tenant exactly', async () => {
    const organizations = await newApp('organizations');
    const viaOrganizations = ok(await organizations.api.connect({ providerId: 'microsoft' }));
    expect(entra.authorizationRequests.at(-1)?.tenant).toBe('organizations');
    expect(viaOrganizations.account.status).toBe('ok');
    // The refreshed ID token names the user's tenant too.
    ok(await organizations.api.refreshAccount({ accountId: viaOrganizations.account.id }));

    const tenantId = entra.userTenantId;
    const specific = await newApp(tenantId);
    const viaTenant = ok(await specific.api.connect({ providerId: 'microsoft' }));
    expect(entra.authorizationRequests.at(-1)?.tenant).toBe(tenantId);
    // Entra's sub is per application, not per tenant path: the same person, the same subject.
    expect(viaTenant.account.subject).toBe(viaOrganizations.account.subject);

    // A code from another tenant redeemed at this tenant's endpoint: its ID token names the other
    // tenant, which the exact check refuses.
    const otherTenant = stableGuid('another-tenant');
    const foreign = entra.createCode('adele', { redirectUri: REGISTERED, tenant: otherTenant });
    const refused = failed(await specific.api.exchange({ provider: 'microsoft', code: foreign }));
    expect(isError(refused, 'exchangeFailed')).toBe(true);
    expect(refused.traces).toEqual([expect.stringContaining('"iss" (issuer)')]);
    // In plain words, naming the claim and what to check.
    expect(refused.message).toMatch(/ID token .* failed its check \(“iss” claim\)/);
    expect(refused.message).toMatch(/issuer URL and client ID/);
    expectCleanError(refused, [foreign]);

    // Through `common`, only a tenant ID may stand in for the alias: a tenant named otherwise
    // (here a domain) in `iss` is refused as well.
    const common = await newApp('common');
    const named = entra.createCode('adele', { redirectUri: REGISTERED, tenant: 'contoso.example' });
    const notGuid = failed(await common.api.exchange({ provider: 'microsoft', code: named }));
    expect(isError(notGuid, 'exchangeFailed')).toBe(true);
    expect(notGuid.traces).toEqual([expect.stringContaining('"iss" (issuer)')]);
    expect(await common.accounts()).toEqual([]);
  });

  it('keeps the new refresh token of every refresh and sends it next time', async () => {
    const app = await newApp();
    const { account } = ok(await app.api.connect({ providerId: 'microsoft' }));
    const first = await app.secrets(account.id);
    const before = entra.requests.length;

    const once = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(once).toMatchObject({ status: 'ok', canRefresh: true });
    const second = await app.secrets(account.id);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);

    ok(await app.api.refreshAccount({ accountId: account.id }));
    const third = await app.secrets(account.id);
    expect(third.refreshToken).not.toBe(second.refreshToken);

    const refreshes = grants(entra.requests.slice(before), 'refresh_token');
    expect(refreshes.map((r) => r.refresh_token)).toEqual([
      first.refreshToken,
      second.refreshToken,
    ]);
    for (const refresh of refreshes) {
      expect(refresh.client_id).toBe(entra.clientId);
      expect(refresh.client_secret).toBeUndefined();
    }
    expect(await entra.isAccessTokenActive(third.accessToken)).toBe(true);
  });

  it('disconnect reports that Entra could not revoke, and deletes the account locally', async () => {
    const app = await newApp();
    const { account } = ok(await app.api.connect({ providerId: 'microsoft' }));
    const secrets = await app.secrets(account.id);
    const before = entra.requests.length;

    const answer = ok(await app.api.disconnect({ accountId: account.id }));
    expect(answer.accountId).toBe(account.id);
    expect(answer.revocation).toEqual({
      status: 'unsupported',
      message: expect.stringContaining(
        'Microsoft Entra ID offers no revocation endpoint',
      ) as unknown,
    });
    expect(entra.requests.length).toBe(before);
    expect(await app.accounts()).toEqual([]);
    expect(await app.fixture.parts.repo.accountSecrets(account.id)).toBeUndefined();
    // Truthfully reported: the grant is still alive at Entra.
    expect(await entra.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(true);
  });

  it('exchange({ provider, code }) answers the access token and its expiry, never the refresh token', async () => {
    const app = await newApp();
    const verifier = 'external-verifier-'.padEnd(50, 'x');
    const code = entra.createCode('adele', {
      redirectUri: REGISTERED,
      codeChallenge: s256Challenge(verifier),
      codeChallengeMethod: 'S256',
    });
    const answer = ok(
      await app.api.exchange({ provider: 'microsoft', code, codeVerifier: verifier }),
    );
    expect(Object.keys(answer).sort()).toEqual(['accountId', 'expiresAt', 'success', 'token']);
    expect(await entra.isAccessTokenActive(answer.token)).toBe(true);
    expect(answer.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    const secrets = await app.secrets(answer.accountId);
    expect(secrets.refreshToken).toBeDefined();
    expect(JSON.stringify(answer)).not.toContain(secrets.refreshToken);

    // The same code again: Entra's AADSTS54005, as oauth/2 with its words.
    const reused = failed(
      await app.api.exchange({ provider: 'microsoft', code, codeVerifier: verifier }),
    );
    expect(isError(reused, 'invalidAuthorizationCode')).toBe(true);
    expect(reused.message).toContain('AADSTS54005');
    expectCleanError(reused, [code, verifier]);
  });
});
