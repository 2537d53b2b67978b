import { describe, expect, it } from 'vitest';
import { placeErrors } from '../../../../renderer/src/common/field-errors';
import {
  describeProviderProblem,
  editProviderValues,
  isFieldEmpty,
  newProviderValues,
  offersApiHosts,
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

  it('sends GitLab’s optional instance URL when typed, and nothing for gitlab.com', () => {
    const gitlab = preset('gitlab');
    const typed = { ...newProviderValues(gitlab), issuer: ' https://gitlab.example.com ' };
    expect(toSaveInput(typed, gitlab).issuer).toBe('https://gitlab.example.com');
    expect(toSaveInput(newProviderValues(gitlab), gitlab)).not.toHaveProperty('issuer');
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

  it('sends a typed introspection endpoint trimmed beside the others, and leaves out an empty one', () => {
    const oauth2 = preset('oauth2');
    const values = {
      ...newProviderValues(oauth2),
      authorization: 'https://as.test/auth',
      token: 'https://as.test/token',
      introspection: ' https://as.test/introspect\n',
    };
    expect(toSaveInput(values, oauth2).endpoints).toEqual({
      authorization: 'https://as.test/auth',
      token: 'https://as.test/token',
      introspection: 'https://as.test/introspect',
    });
    expect(toSaveInput({ ...values, introspection: '  ' }, oauth2).endpoints).not.toHaveProperty(
      'introspection',
    );
    // Only a preset of typed endpoints has the field: another sends none.
    expect(
      toSaveInput({ ...newProviderValues(preset('oidc')), introspection: 'x' }, preset('oidc')),
    ).not.toHaveProperty('endpoints');
  });

  it('an edit shows the stored introspection endpoint, sends it again, and drops it once emptied', () => {
    const oauth2 = preset('oauth2');
    const endpoints = {
      authorization: 'https://as.test/auth',
      token: 'https://as.test/token',
      introspection: 'https://as.test/introspect',
    };
    const values = editProviderValues(makeProvider({ presetId: 'oauth2', endpoints }));
    expect(values.introspection).toBe('https://as.test/introspect');
    expect(toSaveInput(values, oauth2).endpoints).toEqual(endpoints);
    expect(toSaveInput({ ...values, introspection: '' }, oauth2).endpoints).toEqual({
      authorization: 'https://as.test/auth',
      token: 'https://as.test/token',
    });
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
    expect(providerFieldFor('endpoints.introspection')).toBe('introspection');
    expect(providerFieldFor('endpoints')).toBe('authorization');
    expect(providerFieldFor('scopes.3')).toBe('scopes');
    expect(providerFieldFor('clientId')).toBe('clientId');
    expect(providerFieldFor('nonsense')).toBeUndefined();
    expect(providerFieldFor('scopesX')).toBeUndefined();
    expect(providerFieldFor('apiHosts')).toBe('apiHosts');
    expect(providerFieldFor('apiHosts.12')).toBe('apiHosts');
    expect(providerFieldFor('apiHostsX')).toBeUndefined();
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

describe('the provider’s own API hosts', () => {
  const oauth2 = preset('oauth2');

  it('are sent as typed on add, apart on spaces and commas, and left out when none', () => {
    const typed = { ...newProviderValues(oauth2), apiHosts: ' Api.Work.example,*.svc.x\n, ' };
    expect(toSaveInput(typed, oauth2).apiHosts).toEqual(['Api.Work.example', '*.svc.x']);
    expect(toSaveInput({ ...typed, apiHosts: ' , ' }, oauth2)).not.toHaveProperty('apiHosts');
  });

  it('are pre-filled on edit, sent again, and [] once the box is emptied', () => {
    const stored = makeProvider({ presetId: 'oauth2', apiHosts: ['a.example', '*.b.example'] });
    const values = editProviderValues(stored);
    expect(values.apiHosts).toBe('a.example *.b.example');
    expect(toSaveInput(values, oauth2, stored).apiHosts).toEqual(['a.example', '*.b.example']);
    expect(toSaveInput({ ...values, apiHosts: '' }, oauth2, stored).apiHosts).toEqual([]);
    // None stored, none typed: nothing to change, nothing sent.
    const none = makeProvider({ presetId: 'oauth2' });
    expect(toSaveInput(editProviderValues(none), oauth2, none)).not.toHaveProperty('apiHosts');
  });

  it('are offered where the preset knows none, where its tokens open the user’s own APIs, or the edited configuration has some', () => {
    expect(offersApiHosts(preset('oidc'))).toBe(true);
    expect(offersApiHosts(oauth2)).toBe(true);
    expect(offersApiHosts(preset('microsoft'))).toBe(true);
    for (const id of ['google', 'github', 'gitlab']) expect(offersApiHosts(preset(id))).toBe(false);
    const github = makeProvider({ presetId: 'github' });
    expect(offersApiHosts(preset('github'), github)).toBe(false);
    expect(offersApiHosts(preset('github'), { ...github, apiHosts: ['x.example'] })).toBe(true);
    // Not offered, not sent: what was typed for another preset stays behind.
    const switched = switchPreset(
      { ...newProviderValues(oauth2), apiHosts: 'x.example' },
      preset('github'),
    );
    expect(switched.apiHosts).toBe('x.example');
    expect(toSaveInput(switched, preset('github'))).not.toHaveProperty('apiHosts');
  });

  it('a refused host is named, and too many are counted as hosts', () => {
    const values = { ...newProviderValues(oauth2), apiHosts: 'ok.example Bad.example' };
    const placed = placeErrors(
      [
        {
          field: 'apiHosts.1',
          expression: 'pattern',
          reason: 'must be a host name in lower case, or *. and one',
        },
        { field: 'apiHosts', expression: 'max', argument: 20, reason: 'must be at most 20 items' },
      ],
      providerFieldFor,
      (field) => isFieldEmpty(values, field),
      describeProviderProblem(values),
    );
    // Named from what was sent when main echoes nothing.
    expect(placed.fields).toEqual({
      apiHosts:
        '“Bad.example”: must be a host name in lower case, or *. and one. At most 20 hosts.',
    });
    const echoed = placeErrors(
      [
        {
          field: 'apiHosts.0',
          expression: 'pattern',
          originalValue: 'https://x.example',
          reason: 'must be a host name in lower case, or *. and one',
        },
      ],
      providerFieldFor,
      () => false,
      describeProviderProblem(values),
    );
    expect(echoed.fields.apiHosts).toBe(
      '“https://x.example”: must be a host name in lower case, or *. and one.',
    );
    expect(isFieldEmpty({ ...values, apiHosts: ' ,, ' }, 'apiHosts')).toBe(true);
  });
});
