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
  secrets.weak || !secrets.persistent || secrets.previousProtection !== undefined;

export interface SecretsWarning {
  readonly title: string;
  /** One message: what it means for the user's accounts, then what to do about it. */
  readonly message: string;
  /** The opt-in the banner offers, if any. */
  readonly offer: 'opt-in' | 'opt-out' | undefined;
}

const UNLOCK_KEYRING = 'unlock or install a keyring (GNOME Keyring, KWallet) and restart Tokendesk';

/**
 * The banner's words, one message per situation: the renderer is the one place they are written
 * (main reports the facts in SecretsStatus, not sentences), so the banner never says one thing
 * twice in two voices.
 */
export const secretsWarning = (secrets: SecretsStatus): SecretsWarning => {
  const current = protectionName(secrets.protection);
  if (secrets.previousProtection !== undefined) {
    const previous = protectionName(secrets.previousProtection);
    return {
      title: 'Secrets were saved under another keyring',
      message: `They were encrypted with ${previous} and this session has ${current}, so the accounts concerned need reconnecting. The saved secrets are kept: starting Tokendesk again with ${previous} unlocked brings them back.`,
      offer: undefined,
    };
  }
  if (secrets.weak && secrets.persistent) {
    return {
      title: 'Secrets are stored without real protection',
      message: `Refresh tokens and client secrets are on disk, encrypted with ${current}: anyone who can read your files can use your accounts. To protect them, ${UNLOCK_KEYRING}, or keep them in memory only.`,
      offer: secrets.weakStorageOptIn ? 'opt-out' : undefined,
    };
  }
  if (!secrets.persistent) {
    // Storing on disk anyway is a choice only where the system can encrypt at all, if weakly.
    const canStoreAnyway = secrets.weak && secrets.weakStorageAvailable;
    return {
      title: 'Secrets are kept in memory only',
      message: `No keyring is available: after Tokendesk quits, every account needs connecting again. To keep them, ${UNLOCK_KEYRING}.`,
      offer: canStoreAnyway && !secrets.weakStorageOptIn ? 'opt-in' : undefined,
    };
  }
  return {
    title: 'Secrets are not stored securely',
    message: `Secrets are protected by ${current}. To protect them better, ${UNLOCK_KEYRING}.`,
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
