/**
 * The provider form through a backend: what a save sends (the backend object, never the client's
 * own credential), where main's complaints go, and what the form says about the redirect URI,
 * PKCE and refresh for each shape.
 */
import { describe, expect, it } from 'vitest';
import { placeErrors } from '../../../../renderer/src/common/field-errors';
import {
  backendCalls,
  backendNotes,
  backendRedirectKind,
  NO_PKCE_NOTE,
  systemBrowserProblem,
} from '../../../../renderer/src/providers/backend-exchange';
import {
  editProviderValues,
  isFieldEmpty,
  newProviderValues,
  offersDeviceCode,
  providerFieldFor,
  switchExchange,
  switchPreset,
  toSaveInput,
  type ProviderFormValues,
} from '../../../../renderer/src/providers/provider-form-model';
import { findPreset } from '../../../../shared/providers';
import { makeProvider } from '../../helpers/renderer/fake-bridge';

const preset = (id: string) => findPreset(id)!;
const oidc = preset('oidc');

/** An OIDC provider typed "through a backend", with everything the direct exchange had typed too. */
const throughBackend = (changes: Partial<ProviderFormValues> = {}): ProviderFormValues => ({
  ...switchExchange(
    {
      ...newProviderValues(oidc),
      clientId: ' web-client ',
      issuer: 'https://idp.example.com',
      secret: { kind: 'set', value: 'typed-before-switching' },
      clientAuth: 'client_secret_post',
    },
    'backend',
    oidc,
  ),
  backendUrl: ' https://api.example.com/oauth/exchange ',
  backendShape: 'standard',
  backendRedirectUri: ' https://app.example.com/oauth/callback ',
  ...changes,
});

describe('what a save through a backend sends', () => {
  it('sends the backend object trimmed and the credential typed, never a client secret, client auth or key', () => {
    const input = toSaveInput(
      throughBackend({ backendCredential: { kind: 'set', value: ' bearer-123 ' } }),
      oidc,
    );
    expect(input.backend).toEqual({
      url: 'https://api.example.com/oauth/exchange',
      shape: 'standard',
      redirectUri: 'https://app.example.com/oauth/callback',
      credential: 'bearer-123',
    });
    expect(input.clientId).toBe('web-client');
    expect(input).not.toHaveProperty('clientSecret');
    expect(input).not.toHaveProperty('clientAuth');
    expect(input).not.toHaveProperty('privateKey');
    expect(input).not.toHaveProperty('keyId');
    // A private key chosen before switching is not sent either.
    const keyed = toSaveInput(
      throughBackend({
        clientAuth: 'private_key_jwt',
        privateKey: { kind: 'set', value: 'pem' },
        keyId: 'k1',
      }),
      oidc,
    );
    expect(keyed).not.toHaveProperty('privateKey');
    expect(keyed).not.toHaveProperty('clientAuth');
    expect(keyed).not.toHaveProperty('keyId');
  });

  it('leaves an empty credential out, so a stored one stays; removing sends null', () => {
    expect(toSaveInput(throughBackend(), oidc).backend).not.toHaveProperty('credential');
    const stored = makeProvider({
      backend: {
        url: 'https://api.example.com',
        shape: 'google-style',
        redirectUri: 'http://127.0.0.1:8765/callback',
        hasCredential: true,
      },
    });
    const values = editProviderValues(stored);
    expect(values).toMatchObject({
      exchange: 'backend',
      backendUrl: 'https://api.example.com',
      backendShape: 'google-style',
      backendRedirectUri: 'http://127.0.0.1:8765/callback',
      backendCredential: { kind: 'keep' },
    });
    expect(toSaveInput(values, oidc, stored).backend).toEqual({
      url: 'https://api.example.com',
      shape: 'google-style',
      redirectUri: 'http://127.0.0.1:8765/callback',
    });
    expect(
      toSaveInput({ ...values, backendCredential: { kind: 'set', value: '  ' } }, oidc, stored)
        .backend,
    ).not.toHaveProperty('credential');
    expect(
      toSaveInput({ ...values, backendCredential: { kind: 'remove' } }, oidc, stored).backend,
    ).toMatchObject({ credential: null });
  });

  it('switching an existing backend provider back to direct sends backend: null', () => {
    const stored = makeProvider({
      backend: {
        url: 'https://api.example.com',
        shape: 'github-style',
        redirectUri: 'https://app.example.com/cb',
        hasCredential: false,
      },
    });
    const direct = switchExchange(editProviderValues(stored), 'direct', oidc);
    expect(direct.backendCredential).toEqual({ kind: 'set', value: '' });
    const input = toSaveInput(
      { ...direct, secret: { kind: 'set', value: 's3cret' } },
      oidc,
      stored,
    );
    expect(input.backend).toBeNull();
    expect(input.clientSecret).toBe('s3cret');
    // A direct provider that never had a backend says nothing about one.
    const plain = makeProvider();
    expect(toSaveInput(editProviderValues(plain), oidc, plain)).not.toHaveProperty('backend');
    expect(toSaveInput(newProviderValues(oidc), oidc)).not.toHaveProperty('backend');
  });

  it('never offers or keeps a sign-in with a code through a backend', () => {
    const device = { ...newProviderValues(oidc), consentMode: 'device-code' as const };
    expect(offersDeviceCode(device, oidc)).toBe(true);
    const backend = switchExchange(device, 'backend', oidc);
    expect(backend.consentMode).toBe(oidc.defaultConsentMode);
    expect(offersDeviceCode(backend, oidc)).toBe(false);
    expect(toSaveInput(backend, oidc).consentMode).toBe('embedded');
    // A browser mode chosen stays as it is.
    const browser = switchExchange(
      { ...newProviderValues(oidc), consentMode: 'system-browser' },
      'backend',
      oidc,
    );
    expect(browser.consentMode).toBe('system-browser');
  });

  it('starts with the shape each preset’s published backend has, and keeps the backend across presets', () => {
    expect(newProviderValues(preset('google')).backendShape).toBe('google-style');
    expect(newProviderValues(preset('github')).backendShape).toBe('github-style');
    expect(newProviderValues(oidc).backendShape).toBe('standard');
    expect(newProviderValues(oidc).exchange).toBe('direct');
    const switched = switchPreset(throughBackend(), preset('gitlab'));
    expect(switched).toMatchObject({
      exchange: 'backend',
      backendUrl: ' https://api.example.com/oauth/exchange ',
      backendShape: 'standard',
    });
  });
});

describe('where main’s complaints about a backend go', () => {
  it('maps each backend path to its field, and the hidden direct fields to the choice', () => {
    const values = throughBackend({
      backendRedirectUri: '',
      backendCredential: { kind: 'set', value: 'x'.repeat(9000) },
    });
    const placed = placeErrors(
      [
        { field: 'backend.url', expression: 'url', reason: 'must be an https URL' },
        { field: 'backend.redirectUri', expression: 'required', reason: 'is required' },
        {
          field: 'backend.credential',
          expression: 'max',
          reason: 'must be at most 8192 characters',
        },
        { field: 'backend.shape', expression: 'enum', reason: 'must be one of the shapes' },
        { field: 'consentMode', expression: 'custom', reason: 'choose the embedded window' },
        {
          field: 'clientSecret',
          expression: 'custom',
          reason: 'takes no client secret: the backend keeps it',
        },
      ],
      (path) => providerFieldFor(path, values),
      (field) => isFieldEmpty(values, field),
    );
    expect(placed.fields).toEqual({
      backendUrl: 'Must be an https URL.',
      backendRedirectUri: 'Required.',
      backendCredential: 'Must be at most 8192 characters.',
      backendShape: 'Must be one of the shapes.',
      consentMode: 'Choose the embedded window.',
      exchange: 'Takes no client secret: the backend keeps it.',
    });
    expect(placed.unplaced).toEqual([]);
    // Direct, the secret's complaint stays beside the secret.
    expect(providerFieldFor('clientSecret', newProviderValues(oidc))).toBe('clientSecret');
    expect(providerFieldFor('backend')).toBe('exchange');
  });

  it('counts only a typed credential as given', () => {
    expect(isFieldEmpty(throughBackend(), 'backendCredential')).toBe(true);
    expect(
      isFieldEmpty(throughBackend({ backendCredential: { kind: 'keep' } }), 'backendCredential'),
    ).toBe(false);
    expect(isFieldEmpty(throughBackend(), 'backendShape')).toBe(false);
  });
});

describe('what the form says about a backend', () => {
  it('shows the exact URLs each shape POSTs to', () => {
    expect(backendCalls('https://api.example.com/', 'google-style')).toEqual([
      { what: 'Code exchange', url: 'https://api.example.com/auth/google/exchange' },
      { what: 'Refresh', url: 'https://api.example.com/auth/google/refresh' },
    ]);
    expect(backendCalls('https://iam.example.com/v1', 'github-style')).toEqual([
      { what: 'Code exchange', url: 'https://iam.example.com/v1/oauth/token' },
    ]);
    expect(backendCalls('https://api.example.com/token', 'standard')).toEqual([
      { what: 'Code exchange and refresh', url: 'https://api.example.com/token' },
    ]);
    expect(backendCalls('  ', 'standard')).toEqual([]);
  });

  it('tells a loopback redirect with a port from a web one', () => {
    expect(backendRedirectKind('http://127.0.0.1:8765/callback')).toBe('loopback');
    expect(backendRedirectKind('http://localhost:3000/cb')).toBe('loopback');
    expect(backendRedirectKind('http://127.0.0.1/callback')).toBe('web');
    expect(backendRedirectKind('https://127.0.0.1:8765/callback')).toBe('web');
    expect(backendRedirectKind('https://app.example.com/oauth/callback')).toBe('web');
    expect(backendRedirectKind('')).toBe('unknown');
    // As main's save rules it: the listener holds ::1 only beside 127.0.0.1 (for localhost).
    expect(backendRedirectKind('http://[::1]:8765/callback')).toBe('web');
    expect(systemBrowserProblem('https://app.example.com/oauth/callback')).toMatch(
      /needs a loopback one with a port/,
    );
    expect(systemBrowserProblem('http://127.0.0.1:8765/callback')).toBeUndefined();
    expect(systemBrowserProblem('')).toBeUndefined();
  });

  it('says a web redirect needs the embedded window, and that Google cannot use one', () => {
    const web = {
      backendShape: 'standard' as const,
      backendRedirectUri: 'https://app.example.com/cb',
    };
    expect(backendNotes(web, oidc)).toEqual([
      expect.stringMatching(/^With a web redirect URI only the embedded window can catch it/),
    ]);
    const google = backendNotes({ ...web, backendShape: 'google-style' }, preset('google'));
    expect(google[0]).toMatch(/Google blocks sign-in in embedded windows/);
    expect(google[0]).toMatch(/Register a loopback redirect URI with a port/);
    const loopback = backendNotes(
      { backendShape: 'google-style', backendRedirectUri: 'http://127.0.0.1:8765/callback' },
      preset('google'),
    );
    expect(loopback.join(' ')).not.toMatch(/blocks sign-in/);
    expect(loopback[0]).toMatch(/the embedded window and the system browser both work/);
  });

  it('says which shapes cannot pass PKCE on, and which do not refresh', () => {
    const notes = (shape: 'google-style' | 'github-style' | 'standard') =>
      backendNotes({ backendShape: shape, backendRedirectUri: '' }, oidc);
    expect(notes('google-style')).toEqual([NO_PKCE_NOTE]);
    expect(NO_PKCE_NOTE).toBe(
      'This backend cannot pass a PKCE verifier on: the sign-in is protected by state (and nonce) only.',
    );
    expect(notes('github-style')).toEqual([
      NO_PKCE_NOTE,
      expect.stringMatching(/does not refresh tokens/),
    ]);
    expect(notes('standard')).toEqual([]);
  });
});
