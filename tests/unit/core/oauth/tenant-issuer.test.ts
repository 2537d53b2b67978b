/**
 * Which `iss` the Entra preset accepts from a token response, per form of the configured tenant:
 * a tenant ID (the same ID, any case), or an alias or domain (any tenant ID, matching the token's
 * own `tid`). Anything else keeps the configured issuer, so oauth4webapi refuses the ID token.
 */
import { describe, expect, it } from 'vitest';
import { resolveProviderRuntime } from '../../../../main/core/oauth/provider-runtime';
import { serverForTokenResponse } from '../../../../main/core/oauth/tenant-issuer';
import { findPreset, type ProviderPreset } from '../../../../shared/providers';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER = '9188040d-6c67-4c5b-b112-36a304b66dad';
const issuerOf = (tenant: string): string => `https://login.microsoftonline.com/${tenant}/v2.0`;

const microsoft = findPreset('microsoft') as ProviderPreset;

const runtimeFor = (tenant: string) =>
  resolveProviderRuntime(
    {
      id: 'microsoft',
      presetId: 'microsoft',
      label: 'Microsoft',
      clientId: 'client',
      clientAuth: 'none',
      scopes: ['openid'],
      consentMode: 'embedded',
      tenant,
      createdAt: 0,
      updatedAt: 0,
    },
    microsoft,
    undefined,
    {
      limits: { timeoutMs: 1_000, maxBodyBytes: 10_000 },
      baseFetch: () => Promise.reject(new Error('no network in this test')),
      discover: () => Promise.reject(new Error('no discovery in this test')),
    },
  );

const tokenResponse = (claims: Readonly<Record<string, unknown>>): Response => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const idToken = `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
  return Response.json({ access_token: 'at', token_type: 'Bearer', id_token: idToken });
};

/** The issuer the ID token will be held to. */
const expectedIssuer = async (tenant: string, claims: Readonly<Record<string, unknown>>) =>
  (await serverForTokenResponse(await runtimeFor(tenant), tokenResponse(claims))).issuer;

describe('serverForTokenResponse (Entra tenants)', () => {
  it.each(['contoso.onmicrosoft.com', 'common', 'organizations', 'consumers'])(
    'through %s, accepts a tenant ID in iss that the token’s tid confirms',
    async (tenant) => {
      expect(await expectedIssuer(tenant, { iss: issuerOf(TENANT), tid: TENANT })).toBe(
        issuerOf(TENANT),
      );
    },
  );

  it.each(['contoso.onmicrosoft.com', 'common'])(
    'through %s, refuses a tenant ID in iss that tid contradicts or leaves out',
    async (tenant) => {
      expect(await expectedIssuer(tenant, { iss: issuerOf(TENANT), tid: OTHER })).toBe(
        issuerOf(tenant),
      );
      expect(await expectedIssuer(tenant, { iss: issuerOf(TENANT) })).toBe(issuerOf(tenant));
    },
  );

  it('through a domain, refuses an iss naming another domain instead of a tenant ID', async () => {
    expect(
      await expectedIssuer('contoso.onmicrosoft.com', {
        iss: issuerOf('fabrikam.onmicrosoft.com'),
        tid: TENANT,
      }),
    ).toBe(issuerOf('contoso.onmicrosoft.com'));
  });

  it('through an upper-case tenant ID, accepts the same ID in lower case', async () => {
    expect(await expectedIssuer(TENANT.toUpperCase(), { iss: issuerOf(TENANT) })).toBe(
      issuerOf(TENANT),
    );
  });

  it('through a tenant ID, refuses another tenant’s ID whatever tid says', async () => {
    expect(await expectedIssuer(TENANT, { iss: issuerOf(OTHER), tid: OTHER })).toBe(
      issuerOf(TENANT),
    );
  });

  it('refuses an iss at another host or with another path', async () => {
    for (const iss of [
      `https://login.evil.example/${TENANT}/v2.0`,
      `https://login.microsoftonline.com/${TENANT}/v2.0/extra`,
      `https://login.microsoftonline.com/${TENANT}`,
    ]) {
      expect(await expectedIssuer('common', { iss, tid: TENANT }), iss).toBe(issuerOf('common'));
    }
  });
});

describe('serverForTokenResponse (Google’s issuer without its scheme)', () => {
  const runtimeOf = (presetId: 'google' | 'gitlab') =>
    resolveProviderRuntime(
      {
        id: presetId,
        presetId,
        label: presetId,
        clientId: 'client',
        clientAuth: 'none',
        scopes: ['openid'],
        consentMode: 'system-browser',
        createdAt: 0,
        updatedAt: 0,
      },
      findPreset(presetId) as ProviderPreset,
      undefined,
      {
        limits: { timeoutMs: 1_000, maxBodyBytes: 10_000 },
        baseFetch: () => Promise.reject(new Error('no network in this test')),
        discover: () => Promise.reject(new Error('no discovery in this test')),
      },
    );
  const issuerFor = async (presetId: 'google' | 'gitlab', iss: string) =>
    (await serverForTokenResponse(await runtimeOf(presetId), tokenResponse({ iss }))).issuer;

  it('accepts accounts.google.com as well as https://accounts.google.com for Google', async () => {
    expect(await issuerFor('google', 'accounts.google.com')).toBe('accounts.google.com');
    expect(await issuerFor('google', 'https://accounts.google.com')).toBe(
      'https://accounts.google.com',
    );
  });

  it('keeps the configured issuer for any other spelling, and for other presets', async () => {
    for (const iss of ['accounts.google.com/', 'http://accounts.google.com', 'evil.example'])
      expect(await issuerFor('google', iss)).toBe('https://accounts.google.com');
    expect(await issuerFor('gitlab', 'gitlab.com')).toBe('https://gitlab.com');
  });
});
