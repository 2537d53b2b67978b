/** The secret box on Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). */
import { safeStorage } from 'electron';
import type { SecretBox, SecretProtection } from '../core/ports';

const encryptNow = (plain: string): string => safeStorage.encryptString(plain).toString('base64');

export const safeStorageBox: SecretBox = {
  encrypt: encryptNow,
  encryptNow,
  decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
};

/** Linux backends whose "encryption" protects nothing: a hard-coded key, or none known. */
const WEAK_LINUX_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

/**
 * What safeStorage offers on this machine. The core decides from it whether secrets are written
 * to disk (docs/SECURITY.md): on Linux `basic_text` is a key compiled into Chromium, so secrets stay
 * in memory unless the user opts in, and the backend is recorded so a later change is explained.
 * Call after `app.whenReady()`: before it, Linux reports no backend yet.
 */
export const detectSecretProtection = (): SecretProtection => {
  if (!safeStorage.isEncryptionAvailable())
    return { backend: 'unavailable', available: false, weak: true };
  if (process.platform === 'darwin') return { backend: 'keychain', available: true, weak: false };
  if (process.platform === 'win32') return { backend: 'dpapi', available: true, weak: false };
  const backend = safeStorage.getSelectedStorageBackend();
  return { backend, available: true, weak: WEAK_LINUX_BACKENDS.has(backend) };
};
