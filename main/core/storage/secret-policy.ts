/**
 * Whether secrets go to disk, decided from what the secret box offers on this machine and what
 * the user chose, and how that is explained to the user (docs/SECURITY.md, "secrets at rest").
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

const adviceFor = (
  protection: SecretProtection,
  persistent: boolean,
  previous: string | undefined,
): string | undefined => {
  const parts: string[] = [];
  if (previous !== undefined)
    parts.push(
      `Your saved tokens were protected by ${previous}, but this session uses ${protection.backend}. ` +
        'Tokens that cannot be read show “reconnect needed”; starting Tokendesk with the keyring it used before brings them back.',
    );
  if (!protection.available)
    parts.push(
      'This system offers no way to encrypt secrets, so tokens are kept in memory only and you will reconnect after each restart.',
    );
  else if (protection.weak && persistent)
    parts.push(
      `Tokens are saved with ${protection.backend}, which is not real protection: anyone who can read your files can read them. ` +
        'Install and unlock a keyring (GNOME Keyring or KWallet) and turn off “store anyway” in Settings.',
    );
  else if (protection.weak)
    parts.push(
      `No keyring is available (${protection.backend}), so tokens are kept in memory only and are gone when Tokendesk quits. ` +
        'Install and unlock GNOME Keyring or KWallet, or choose “store anyway” in Settings (not protected).',
    );
  return parts.length > 0 ? parts.join(' ') : undefined;
};

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
  const advice = adviceFor(protection, persistent, previous);
  return {
    persistent,
    protection: protection.backend,
    weak: protection.weak || !protection.available,
    weakStorageOptIn: settings.persistWeakSecrets,
    weakStorageAvailable: protection.available,
    ...(previous !== undefined ? { previousProtection: previous } : {}),
    ...(advice !== undefined ? { advice } : {}),
  };
};
