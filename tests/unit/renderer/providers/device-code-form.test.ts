/**
 * The provider form and "Device code": offered where the provider has a device authorization
 * endpoint (a preset's, a typed one) or may discover one (custom OpenID Connect), the typed
 * endpoint sent with the others and its refusal shown beside its own box, and an edit keeping
 * the mode saved.
 */
import { describe, expect, it } from 'vitest';
import {
  editProviderValues,
  newProviderValues,
  offersDeviceCode,
  providerFieldFor,
  toSaveInput,
} from '../../../../renderer/src/providers/provider-form-model';
import { findPreset } from '../../../../shared/providers';
import { makeProvider } from '../../helpers/renderer/fake-bridge';

const preset = (id: string) => findPreset(id)!;

describe('"Device code" in the provider form', () => {
  it('is offered for GitHub, Microsoft, Google and custom OpenID Connect, not for GitLab', () => {
    for (const id of ['github', 'microsoft', 'google', 'oidc']) {
      expect(offersDeviceCode(newProviderValues(preset(id)), preset(id))).toBe(true);
    }
    expect(offersDeviceCode(newProviderValues(preset('gitlab')), preset('gitlab'))).toBe(false);
  });

  it('is offered for custom OAuth 2.0 once a device authorization endpoint is typed', () => {
    const values = newProviderValues(preset('oauth2'));
    expect(offersDeviceCode(values, preset('oauth2'))).toBe(false);
    expect(offersDeviceCode({ ...values, deviceAuthorization: '  ' }, preset('oauth2'))).toBe(
      false,
    );
    expect(
      offersDeviceCode(
        { ...values, deviceAuthorization: 'https://as.test/device' },
        preset('oauth2'),
      ),
    ).toBe(true);
  });

  it('sends the typed device endpoint trimmed with the others, and places its refusal on its box', () => {
    const values = {
      ...newProviderValues(preset('oauth2')),
      authorization: 'https://as.test/auth',
      token: 'https://as.test/token',
      deviceAuthorization: ' https://as.test/device ',
      consentMode: 'device-code' as const,
    };
    const sent = toSaveInput(values, preset('oauth2'));
    expect(sent.consentMode).toBe('device-code');
    expect(sent.endpoints).toEqual({
      authorization: 'https://as.test/auth',
      token: 'https://as.test/token',
      deviceAuthorization: 'https://as.test/device',
    });
    expect(providerFieldFor('endpoints.deviceAuthorization')).toBe('deviceAuthorization');
  });

  it('an edit keeps "device code", for Google too', () => {
    const google = makeProvider({ presetId: 'google', id: 'google', consentMode: 'device-code' });
    expect(editProviderValues(google).consentMode).toBe('device-code');
    const typed = makeProvider({
      presetId: 'oauth2',
      consentMode: 'device-code',
      endpoints: {
        authorization: 'https://as.test/auth',
        token: 'https://as.test/token',
        deviceAuthorization: 'https://as.test/device',
      },
    });
    expect(editProviderValues(typed).deviceAuthorization).toBe('https://as.test/device');
  });
});
