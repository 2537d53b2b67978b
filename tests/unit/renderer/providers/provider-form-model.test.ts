import { describe, expect, it } from 'vitest';
import { placeErrors } from '../../../../renderer/src/common/field-errors';
import {
  editProviderValues,
  isFieldEmpty,
  newProviderValues,
  providerFieldFor,
  switchPreset,
  toSaveInput,
} from '../../../../renderer/src/providers/provider-form-model';
import { findPreset } from '../../../../shared/providers';
import { makeProvider } from '../../helpers/renderer/fake-bridge';

const preset = (id: string) => findPreset(id)!;

describe('what the provider form sends', () => {
  it('sends a new provider trimmed, with the preset defaults and without empty optional fields', () => {
    const values = { ...newProviderValues(preset('github')), clientId: '  Iv1.abc  ' };
    expect(toSaveInput(values, preset('github'))).toEqual({
      presetId: 'github',
      clientId: 'Iv1.abc',
      scopes: ['read:user'],
      consentMode: 'embedded',
    });
  });

  it('sends the issuer only for custom OIDC, the tenant only for Microsoft', () => {
    const oidc = { ...newProviderValues(preset('oidc')), issuer: ' https://idp.test ' };
    expect(toSaveInput(oidc, preset('oidc')).issuer).toBe('https://idp.test');
    const google = { ...newProviderValues(preset('google')), issuer: 'https://x', tenant: 'x' };
    expect(toSaveInput(google, preset('google'))).not.toHaveProperty('issuer');
    expect(toSaveInput(google, preset('google'))).not.toHaveProperty('tenant');
    const microsoft = newProviderValues(preset('microsoft'));
    expect(toSaveInput(microsoft, preset('microsoft')).tenant).toBe('common');
  });

  it('sends custom OAuth 2.0 endpoints as typed, leaving out the optional empty ones', () => {
    const values = {
      ...newProviderValues(preset('oauth2')),
      authorization: 'https://as.test/auth',
      token: '',
      userinfo: 'https://as.test/me',
    };
    expect(toSaveInput(values, preset('oauth2')).endpoints).toEqual({
      authorization: 'https://as.test/auth',
      token: '',
      userinfo: 'https://as.test/me',
    });
    // All empty: no endpoints at all, and the API says the provider needs them.
    expect(toSaveInput(newProviderValues(preset('oauth2')), preset('oauth2'))).not.toHaveProperty(
      'endpoints',
    );
  });

  it('keeps, replaces or removes the stored secret, and never sends one it does not have', () => {
    const stored = editProviderValues(makeProvider({ hasClientSecret: true }));
    expect(stored.secret).toEqual({ kind: 'keep' });
    expect(toSaveInput(stored, preset('oidc'))).not.toHaveProperty('clientSecret');
    expect(
      toSaveInput({ ...stored, secret: { kind: 'set', value: ' s3cret\n' } }, preset('oidc'))
        .clientSecret,
    ).toBe('s3cret');
    expect(
      toSaveInput({ ...stored, secret: { kind: 'remove' } }, preset('oidc')).clientSecret,
    ).toBe(null);
    expect(
      toSaveInput({ ...stored, secret: { kind: 'set', value: '' } }, preset('oidc')),
    ).not.toHaveProperty('clientSecret');
  });

  it('splits scopes on any whitespace, not on commas (a comma is a valid scope character)', () => {
    const values = { ...newProviderValues(preset('oauth2')), scopes: ' a  b\nc,d ' };
    expect(toSaveInput(values, preset('oauth2')).scopes).toEqual(['a', 'b', 'c,d']);
  });

  it('edits keep the configuration ID and force the system browser for Google', () => {
    const google = makeProvider({ presetId: 'google', id: 'google-work', consentMode: 'embedded' });
    const values = editProviderValues(google);
    expect(values.consentMode).toBe('system-browser');
    expect(toSaveInput(values, preset('google')).id).toBe('google-work');
  });

  it('switching preset takes the new defaults and keeps what the user typed about the client', () => {
    const typed = { ...newProviderValues(preset('github')), clientId: 'abc', label: 'Mine' };
    const switched = switchPreset(typed, preset('microsoft'));
    expect(switched).toMatchObject({
      presetId: 'microsoft',
      clientId: 'abc',
      label: 'Mine',
      scopes: 'openid profile email offline_access',
      tenant: 'common',
    });
  });
});

describe('where validation errors go', () => {
  it('maps dotted paths to inputs', () => {
    expect(providerFieldFor('endpoints.token')).toBe('token');
    expect(providerFieldFor('endpoints')).toBe('authorization');
    expect(providerFieldFor('scopes.3')).toBe('scopes');
    expect(providerFieldFor('clientId')).toBe('clientId');
    expect(providerFieldFor('nonsense')).toBeUndefined();
    expect(providerFieldFor('scopesX')).toBeUndefined();
  });

  it('says "Required." for an empty field, the API reason as a sentence otherwise', () => {
    const values = {
      ...newProviderValues(preset('oauth2')),
      clientId: 'has a space',
      label: 'x'.repeat(81),
    };
    const placed = placeErrors(
      [
        {
          field: 'clientId',
          expression: 'pattern',
          reason: 'must be visible ASCII characters without spaces',
        },
        {
          field: 'endpoints.token',
          expression: 'url',
          reason: 'must be an https URL (http only for 127.0.0.1, localhost or [::1])',
        },
        { field: 'label', expression: 'max', reason: 'must be at most 80 characters' },
        { field: 'label', expression: 'max', reason: 'must be at most 80 characters' },
        { field: 'bogus', expression: 'unknown', reason: '"bogus" is not a field of this request' },
      ],
      providerFieldFor,
      (field) => isFieldEmpty(values, field),
    );
    expect(placed.fields).toEqual({
      clientId: 'Must be visible ASCII characters without spaces.',
      token: 'Required.',
      label: 'Must be at most 80 characters.',
    });
    expect(placed.unplaced).toEqual(['bogus: "bogus" is not a field of this request']);
  });

  it('keeps a provider-specific requirement in its own words', () => {
    const values = newProviderValues(preset('google'));
    const placed = placeErrors(
      [
        {
          field: 'clientSecret',
          expression: 'required',
          reason: 'Google requires the client secret',
        },
      ],
      providerFieldFor,
      () => false,
    );
    expect(placed.fields.clientSecret).toBe('Google requires the client secret.');
    expect(isFieldEmpty(values, 'clientSecret')).toBe(true);
  });
});
