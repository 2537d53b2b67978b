/**
 * Whether secrets go to disk, decided from what the secret box offers on this machine and what
 * the user chose, reported as facts (the renderer words them: renderer/src/status/secrets-text.ts).
 * docs/SECURITY.md, "secrets at rest".
 */
import type { SecretsStatus } from '../../../shared/model';
import type { SecretProtection } from '../ports';
import type { SecretPolicy } from './repository';
import type { StoredSettings } from './store-schema';

export const policyFor = (
  protection: SecretProtection,
  settings: StoredSettings,
): SecretPolicy => ({
  persist: protection.available && (!protection.weak || settings.persistWeakSecrets),
  protection: protection.backend,
});

export const secretsStatus = (
  protection: SecretProtection,
  settings: StoredSettings,
  persistent: boolean,
  recorded: string | undefined,
  hasStoredSecrets: boolean,
): SecretsStatus => {
  const previous =
    recorded !== undefined && recorded !== protection.backend && hasStoredSecrets
      ? recorded
      : undefined;
  return {
    persistent,
    protection: protection.backend,
    weak: protection.weak || !protection.available,
    weakStorageOptIn: settings.persistWeakSecrets,
    weakStorageAvailable: protection.available,
    ...(previous !== undefined ? { previousProtection: previous } : {}),
  };
};
