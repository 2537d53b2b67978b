/**
 * Whether secrets go to disk (policyFor) and what the banner is told (secretsStatus), from what
 * the secret box offers on this machine and what the user chose.
 */
import { describe, expect, it } from 'vitest';
import type { SecretProtection } from '../../../../main/core/ports';
import { policyFor, secretsStatus } from '../../../../main/core/storage/secret-policy';
import { defaultSettings } from '../../../../main/core/storage/store-schema';

const keychain: SecretProtection = { backend: 'keychain', available: true, weak: false };
const basicText: SecretProtection = { backend: 'basic_text', available: true, weak: true };
const none: SecretProtection = { backend: 'unknown', available: false, weak: true };
const optedIn = { ...defaultSettings(), persistWeakSecrets: true };

describe('policyFor', () => {
  it('stores secrets on disk where the protection is real', () => {
    expect(policyFor(keychain, defaultSettings())).toEqual({
      persist: true,
      protection: 'keychain',
    });
  });

  it('keeps them in memory where it is weak, unless the user opted in', () => {
    expect(policyFor(basicText, defaultSettings()).persist).toBe(false);
    expect(policyFor(basicText, optedIn).persist).toBe(true);
  });

  it('never stores them where no encryption exists, opt-in or not', () => {
    expect(policyFor(none, optedIn).persist).toBe(false);
  });
});

describe('secretsStatus', () => {
  it('says what protects the secrets and whether they are kept', () => {
    expect(secretsStatus(keychain, defaultSettings(), true, 'keychain', true)).toEqual({
      persistent: true,
      protection: 'keychain',
      weak: false,
      weakStorageOptIn: false,
      weakStorageAvailable: true,
    });
  });

  it('names the protection that wrote the stored secrets when it is not this session’s', () => {
    const status = secretsStatus(basicText, defaultSettings(), false, 'gnome_libsecret', true);
    expect(status).toMatchObject({ weak: true, previousProtection: 'gnome_libsecret' });
  });

  it('names no previous protection when nothing stored was written with it', () => {
    expect(
      secretsStatus(basicText, defaultSettings(), false, 'gnome_libsecret', false),
    ).not.toHaveProperty('previousProtection');
    expect(secretsStatus(keychain, defaultSettings(), true, 'keychain', true)).not.toHaveProperty(
      'previousProtection',
    );
  });

  it('reports an unavailable box as weak, and weak storage as not available', () => {
    expect(secretsStatus(none, optedIn, false, undefined, false)).toMatchObject({
      weak: true,
      weakStorageAvailable: false,
      weakStorageOptIn: true,
    });
  });
});
