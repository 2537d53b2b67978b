/**
 * The authorization request the user's browser is sent to: PKCE S256, a fresh state (and nonce for
 * OpenID Connect), the preset's extra parameters, the configured scopes and the exact redirect URI.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAuthorizationRequest } from '../../../../main/core/oauth/authorization-request';
import {
  resolveProviderRuntime,
  type ProviderRuntime,
} from '../../../../main/core/oauth/provider-runtime';
import type { StoredProviderConfig } from '../../../../main/core/storage/store-schema';
import { findPreset, type PresetId, type ProviderPreset } from '../../../../shared/providers';

const preset = (id: PresetId): ProviderPreset => {
  const found = findPreset(id);
  if (!found) throw new Error(`no preset ${id}`);
  return found;
};

const configFor = (
  p: ProviderPreset,
  overrides: Partial<StoredProviderConfig> = {},
): StoredProviderConfig => ({
  id: p.id,
  presetId: p.id,
  label: p.name,
  clientId: `${p.id}-client-id`,
  clientAuth: p.clientAuth,
  scopes: [...p.defaultScopes],
  consentMode: p.defaultConsentMode,
  ...(p.needs.tenant ? { tenant: 'common' } : {}),
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
});

const runtimeFor = (
  p: ProviderPreset,
  overrides: Partial<StoredProviderConfig> = {},
): Promise<ProviderRuntime> =>
  resolveProviderRuntime(
    configFor(p, overrides),
    p,
    p.secret === 'required' ? 'client-secret' : undefined,
    {
      limits: { timeoutMs: 1_000, maxBodyBytes: 10_000 },
      baseFetch: () => Promise.reject(new Error('no network in this test')),
      discover: () => Promise.reject(new Error('no discovery in this test')),
    },
  );

const REDIRECT = 'http://127.0.0.1:49731/callback/google';

const base64urlSha256 = (text: string): string =>
  createHash('sha256').update(text).digest('base64url');

describe('buildAuthorizationRequest: PKCE', () => {
  it('sends an S256 challenge that is base64url(sha256(verifier))', async () => {
    const pending = await buildAuthorizationRequest(await runtimeFor(preset('google')), REDIRECT);
    const params = pending.url.searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toBe(base64urlSha256(pending.codeVerifier!));
  });

  it('keeps a verifier of 43–128 unreserved characters (RFC 7636 §4.1) and never sends it', async () => {
    const pending = await buildAuthorizationRequest(await runtimeFor(preset('github')), REDIRECT);
    expect(pending.codeVerifier?.length).toBeGreaterThanOrEqual(43);
    expect(pending.codeVerifier?.length).toBeLessThanOrEqual(128);
    expect(pending.codeVerifier).toMatch(/^[A-Za-z0-9._~-]+$/);
    expect(pending.url.href).not.toContain(pending.codeVerifier!);
  });

  it('uses PKCE for every preset, OAuth 2.0 ones included', async () => {
    for (const id of ['google', 'github', 'microsoft', 'gitlab'] as const) {
      const pending = await buildAuthorizationRequest(await runtimeFor(preset(id)), REDIRECT);
      expect(pending.url.searchParams.get('code_challenge'), id).toBe(
        base64urlSha256(pending.codeVerifier!),
      );
    }
  });
});

describe('buildAuthorizationRequest: state and nonce', () => {
  it('sends the state it returns, and a new one every time', async () => {
    const runtime = await runtimeFor(preset('google'));
    const requests = await Promise.all(
      Array.from({ length: 20 }, () => buildAuthorizationRequest(runtime, REDIRECT)),
    );
    for (const pending of requests) {
      expect(pending.url.searchParams.get('state')).toBe(pending.state);
      expect(pending.state.length).toBeGreaterThanOrEqual(32);
    }
    expect(new Set(requests.map((p) => p.state)).size).toBe(20);
    expect(new Set(requests.map((p) => p.codeVerifier)).size).toBe(20);
  });

  it('sends a fresh nonce to OpenID Connect providers', async () => {
    const runtime = await runtimeFor(preset('google'));
    const first = await buildAuthorizationRequest(runtime, REDIRECT);
    const second = await buildAuthorizationRequest(runtime, REDIRECT);
    expect(first.nonce).toBeDefined();
    expect(first.url.searchParams.get('nonce')).toBe(first.nonce);
    expect(first.nonce?.length).toBeGreaterThanOrEqual(32);
    expect(second.nonce).not.toBe(first.nonce);
    expect(first.nonce).not.toBe(first.state);
  });

  it.each([
    ['google', ['email', 'https://www.googleapis.com/auth/drive.readonly']],
    ['microsoft', ['https://graph.microsoft.com/User.Read', 'offline_access']],
  ] as const)(
    'sends no nonce to the OpenID Connect preset %s when the scopes leave out openid',
    async (id, scopes) => {
      const pending = await buildAuthorizationRequest(
        await runtimeFor(preset(id), { scopes: [...scopes] }),
        REDIRECT,
      );
      expect(pending.nonce).toBeUndefined();
      expect(pending.url.searchParams.has('nonce')).toBe(false);
    },
  );

  it.each(['github', 'oauth2'] as const)(
    'sends no nonce to the plain OAuth 2.0 preset %s',
    async (id) => {
      const p = preset(id);
      const runtime = await runtimeFor(
        p,
        id === 'oauth2'
          ? {
              endpoints: {
                authorization: 'https://auth.example.com/authorize',
                token: 'https://auth.example.com/token',
              },
            }
          : {},
      );
      const pending = await buildAuthorizationRequest(runtime, REDIRECT);
      expect(pending.nonce).toBeUndefined();
      expect(pending.url.searchParams.has('nonce')).toBe(false);
    },
  );
});

describe('buildAuthorizationRequest: parameters', () => {
  it('asks Google for a refresh token (access_type=offline, prompt=consent)', async () => {
    const pending = await buildAuthorizationRequest(await runtimeFor(preset('google')), REDIRECT);
    expect(pending.url.searchParams.get('access_type')).toBe('offline');
    expect(pending.url.searchParams.get('prompt')).toBe('consent');
  });

  it('asks GitHub for the account picker (prompt=select_account), so a second account can be added', async () => {
    const pending = await buildAuthorizationRequest(await runtimeFor(preset('github')), REDIRECT);
    expect(pending.url.searchParams.get('prompt')).toBe('select_account');
  });

  it('targets the preset’s authorization endpoint with client_id and response_type=code', async () => {
    const pending = await buildAuthorizationRequest(await runtimeFor(preset('google')), REDIRECT);
    expect(`${pending.url.origin}${pending.url.pathname}`).toBe(
      'https://accounts.google.com/o/oauth2/v2/auth',
    );
    expect(pending.url.searchParams.get('client_id')).toBe('google-client-id');
    expect(pending.url.searchParams.get('response_type')).toBe('code');
  });

  it('fills the Microsoft tenant into the endpoint', async () => {
    const pending = await buildAuthorizationRequest(
      await runtimeFor(preset('microsoft'), { tenant: 'contoso.onmicrosoft.com' }),
      REDIRECT,
    );
    expect(pending.url.pathname).toBe('/contoso.onmicrosoft.com/oauth2/v2.0/authorize');
  });

  it('joins the configured scopes with spaces', async () => {
    const pending = await buildAuthorizationRequest(
      await runtimeFor(preset('google'), {
        scopes: ['openid', 'email', 'https://www.googleapis.com/auth/drive.readonly'],
      }),
      REDIRECT,
    );
    expect(pending.url.searchParams.get('scope')).toBe(
      'openid email https://www.googleapis.com/auth/drive.readonly',
    );
    expect(pending.url.search).toContain('scope=openid+email+https');
  });

  it('sends no scope parameter when no scope is configured', async () => {
    const runtime = await runtimeFor(preset('oauth2'), {
      scopes: [],
      endpoints: {
        authorization: 'https://auth.example.com/authorize',
        token: 'https://auth.example.com/token',
      },
    });
    const pending = await buildAuthorizationRequest(runtime, REDIRECT);
    expect(pending.url.searchParams.has('scope')).toBe(false);
  });

  it('sends the redirect URI exactly as given', async () => {
    const redirect = 'http://localhost:61234/callback/microsoft';
    const pending = await buildAuthorizationRequest(
      await runtimeFor(preset('microsoft')),
      redirect,
    );
    expect(pending.url.searchParams.get('redirect_uri')).toBe(redirect);
    expect(pending.redirectUri).toBe(redirect);
  });

  it('keeps query parameters the authorization endpoint already has', async () => {
    const runtime = await runtimeFor(preset('oauth2'), {
      endpoints: {
        authorization: 'https://auth.example.com/authorize?realm=staff',
        token: 'https://auth.example.com/token',
      },
    });
    const pending = await buildAuthorizationRequest(runtime, REDIRECT);
    expect(pending.url.searchParams.get('realm')).toBe('staff');
  });

  it('does not let preset parameters override the security parameters', async () => {
    const hostile: ProviderPreset = {
      ...preset('google'),
      authorizationParams: {
        state: 'fixed',
        nonce: 'fixed',
        code_challenge_method: 'plain',
        redirect_uri: 'https://evil.example/cb',
        client_id: 'other',
        response_type: 'token',
      },
    };
    const pending = await buildAuthorizationRequest(await runtimeFor(hostile), REDIRECT);
    const params = pending.url.searchParams;
    for (const name of [
      'state',
      'nonce',
      'code_challenge_method',
      'redirect_uri',
      'client_id',
      'response_type',
    ]) {
      expect(params.getAll(name), name).toHaveLength(1);
    }
    expect(params.get('state')).toBe(pending.state);
    expect(params.get('nonce')).toBe(pending.nonce);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('redirect_uri')).toBe(REDIRECT);
    expect(params.get('client_id')).toBe('google-client-id');
    expect(params.get('response_type')).toBe('code');
  });

  it('never puts the client secret in the URL', async () => {
    const pending = await buildAuthorizationRequest(await runtimeFor(preset('github')), REDIRECT);
    expect(pending.url.href).not.toContain('client-secret');
  });
});

describe('buildAuthorizationRequest: the URL the consent window or browser opens', () => {
  it.each([
    'javascript:alert(document.domain)//',
    'http://idp.example.test/authorize',
    'https://admin:hunter2@idp.example.test/authorize',
  ])('refuses an authorization endpoint that breaks the URL rules: %s', async (endpoint) => {
    const runtime = await runtimeFor(preset('gitlab'));
    const tampered: ProviderRuntime = {
      ...runtime,
      as: { ...runtime.as, authorization_endpoint: endpoint },
    };
    const refusal = buildAuthorizationRequest(tampered, REDIRECT);
    await expect(refusal).rejects.toMatchObject({ errorName: 'discoveryFailed' });
    await expect(refusal).rejects.toThrow(/authorization endpoint must .*no sign-in was opened/);
    await expect(refusal).rejects.not.toThrow(/hunter2/);
  });
});

describe('buildAuthorizationRequest: a provider through a token backend', () => {
  const through = (shape: 'google-style' | 'github-style' | 'standard') =>
    runtimeFor(preset('google'), {
      backend: {
        url: 'https://backend.example.com',
        shape,
        redirectUri: 'http://127.0.0.1:53682/oauth/callback',
      },
    });

  it('sends no code challenge where the backend cannot pass a verifier on, and keeps state and nonce', async () => {
    for (const shape of ['google-style', 'github-style'] as const) {
      const pending = await buildAuthorizationRequest(await through(shape), REDIRECT);
      const params = pending.url.searchParams;
      expect(params.has('code_challenge'), shape).toBe(false);
      expect(params.has('code_challenge_method'), shape).toBe(false);
      expect(pending.codeVerifier, shape).toBeUndefined();
      expect(params.get('state'), shape).toBe(pending.state);
      expect(params.get('nonce'), shape).toBe(pending.nonce);
      expect(pending.nonce, shape).toMatch(/^[A-Za-z0-9._~-]{20,}$/);
    }
  });

  it('sends PKCE for the standard shape, which forwards the verifier', async () => {
    const pending = await buildAuthorizationRequest(await through('standard'), REDIRECT);
    expect(pending.url.searchParams.get('code_challenge')).toBe(
      base64urlSha256(pending.codeVerifier!),
    );
  });
});
