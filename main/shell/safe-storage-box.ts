/** The secret box on Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). */
import { safeStorage } from 'electron';
import type { SecretBox } from '../core/ports';
import type { SecretPolicy } from '../core/storage/repository';

export const safeStorageBox: SecretBox = {
  encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
  decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
};

/**
 * On Linux `basic_text` means a hard-coded key: no protection. Secrets then stay in memory only
 * (docs/SECURITY.md); the UI says so through getStatus.
 */
export const secretPolicyForPlatform = (): SecretPolicy => {
  if (!safeStorage.isEncryptionAvailable()) return { persist: false, protection: 'unavailable' };
  if (process.platform !== 'linux')
    return { persist: true, protection: process.platform === 'darwin' ? 'keychain' : 'dpapi' };
  const backend = safeStorage.getSelectedStorageBackend();
  return { persist: backend !== 'basic_text' && backend !== 'unknown', protection: backend };
};
