/**
 * The store file as a spec sees it from outside the app: read from disk with the app closed (or
 * after a write it waited for), not through the app's own reading code, so a test about what is
 * at rest cannot be fooled by the code it tests.
 */
import { readFileSync } from 'node:fs';
import type { ElectronApplication } from '@playwright/test';
import type { Profile } from './electron-harness';

export interface StoreOnDisk {
  readonly accounts: Readonly<Record<string, { readonly email?: string }>>;
  readonly providers: Readonly<Record<string, { readonly label: string }>>;
  /** `account:<id>` and `client:<providerId>` → base64 of safeStorage's ciphertext. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly secretProtection?: string;
  readonly settings: { readonly clipboardClearSeconds: number | null };
}

export const readStore = (profile: Profile): StoreOnDisk =>
  JSON.parse(readFileSync(profile.storeFile, 'utf8')) as StoreOnDisk;

/** The ID of the one account with this email, failing when there is not exactly one. */
export const accountIdOf = (store: StoreOnDisk, email: string): string => {
  const ids = Object.entries(store.accounts)
    .filter(([, account]) => account.email === email)
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`${ids.length} accounts with email ${email} in the store`);
  return ids[0] as string;
};

/** The ID of the one provider with this label. */
export const providerIdOf = (store: StoreOnDisk, label: string): string => {
  const ids = Object.entries(store.providers)
    .filter(([, provider]) => provider.label === label)
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`${ids.length} providers labelled ${label} in the store`);
  return ids[0] as string;
};

/**
 * Chromium's OSCrypt prefixes Linux ciphertext with its key's version: `v11` for a key kept in
 * the keyring, `v10` for the key compiled into Chromium (basic_text).
 */
export const ciphertextVersion = (base64: string): string =>
  Buffer.from(base64, 'base64').subarray(0, 3).toString('latin1');

/**
 * The plaintext of stored ciphertext, decrypted by safeStorage in the running app's main
 * process: proof that what the file holds is the secret itself and not an empty or stale blob.
 */
export const decryptInApp = (app: ElectronApplication, base64: string): Promise<string> =>
  app.evaluate(
    ({ safeStorage }, cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
    base64,
  );
