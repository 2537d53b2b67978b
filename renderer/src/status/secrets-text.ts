/** The secrets banner's words: what protects the secrets, what that means, what to do. */
import type { SecretsStatus } from '../../../shared/model';

const PROTECTION_NAMES: Readonly<Record<string, string>> = {
  keychain: 'the macOS Keychain',
  dpapi: 'Windows DPAPI',
  gnome_libsecret: 'the GNOME keyring',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
  basic_text: 'a key built into Chromium, which protects nothing',
  unknown: 'no known protection',
};

export const protectionName = (protection: string): string =>
  PROTECTION_NAMES[protection] ?? `"${protection}"`;

export const shouldWarn = (secrets: SecretsStatus): boolean =>
  secrets.advice !== undefined ||
  secrets.weak ||
  !secrets.persistent ||
  secrets.previousProtection !== undefined;

export interface SecretsWarning {
  readonly title: string;
  /** What it means for the user's accounts. */
  readonly meaning: string;
  /** What the user can do about it. */
  readonly remedy: string;
  /** The opt-in the banner offers, if any. */
  readonly offer: 'opt-in' | 'opt-out' | undefined;
}

export const secretsWarning = (secrets: SecretsStatus): SecretsWarning => {
  const current = protectionName(secrets.protection);
  if (secrets.previousProtection !== undefined) {
    const previous = protectionName(secrets.previousProtection);
    return {
      title: 'Secrets were saved under another keyring',
      meaning: `They were encrypted with ${previous}; this session uses ${current}, so Tokendesk cannot read them and the accounts concerned need reconnecting.`,
      remedy: `The old secrets are kept: starting Tokendesk again with ${previous} available (unlocked, same desktop) brings them back.`,
      offer: undefined,
    };
  }
  if (secrets.weak && secrets.persistent) {
    return {
      title: 'Secrets are stored without real protection',
      meaning: `Refresh tokens and client secrets are on disk, encrypted with ${current}: anyone who can read your files can use your accounts.`,
      remedy:
        'Install or unlock a keyring (GNOME Keyring, KWallet) and restart Tokendesk, or keep the secrets in memory only.',
      offer: secrets.weakStorageOptIn ? 'opt-out' : undefined,
    };
  }
  if (!secrets.persistent) {
    // Storing on disk anyway is a choice only where the system can encrypt at all, if weakly.
    const canStoreAnyway = secrets.weak && secrets.weakStorageAvailable;
    return {
      title: 'Secrets are kept in memory only',
      meaning: `The system offers no real protection for them (${current}), so refresh tokens and client secrets are not written to disk: when Tokendesk quits, every account needs connecting again.`,
      remedy: !secrets.weakStorageAvailable
        ? 'This system cannot encrypt secrets at all, so they cannot be stored on disk either: install or unlock a keyring (GNOME Keyring, KWallet) and restart Tokendesk.'
        : canStoreAnyway
          ? 'Install or unlock a keyring (GNOME Keyring, KWallet) and restart Tokendesk, or store the secrets on disk anyway.'
          : 'Install or unlock a keyring (GNOME Keyring, KWallet) and restart Tokendesk.',
      offer: canStoreAnyway && !secrets.weakStorageOptIn ? 'opt-in' : undefined,
    };
  }
  return {
    title: 'Secrets are not stored securely',
    meaning: `Secrets are protected by ${current}.`,
    remedy: 'Install or unlock a keyring and restart Tokendesk.',
    offer: undefined,
  };
};

/**
 * The confirmation after the banner's choice, from where main says the secrets are now (read
 * after the change), not from what was asked: the two differ where the choice changes nothing.
 */
export const weakStorageSavedText = (
  requestedOnDisk: boolean,
  secrets: SecretsStatus | undefined,
): string => {
  if (secrets === undefined)
    return 'The setting was saved; Tokendesk could not read where the secrets are kept now.';
  if (secrets.persistent) {
    return secrets.weak
      ? 'Secrets are now stored on disk without real protection.'
      : `Secrets are stored on disk, protected by ${protectionName(secrets.protection)}.`;
  }
  if (!requestedOnDisk) return 'Secrets are now kept in memory only.';
  return secrets.weakStorageAvailable
    ? 'The setting was saved, but secrets are still kept in memory only.'
    : 'The setting was saved, but secrets are still kept in memory only: this system cannot encrypt them.';
};
