/**
 * SecretBox implementations for tests. The working one uses real AES-256-GCM so that "secrets are
 * not stored in clear" can be checked against the store file; the failing one stands in for
 * safeStorage on a machine whose keyring changed (the stored secret becomes unreadable).
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { SecretBox } from '../../main/core/ports';

/** Marks ciphertexts of this box, so a test can tell an encrypted value from a plain one. */
export const TEST_SECRET_PREFIX = 'tb1:';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TestSecretBox extends SecretBox {
  encrypt(plain: string): string;
  /** Synchronous, as safeStorage is: the repository may encrypt when it writes. */
  encryptNow(plain: string): string;
  decrypt(cipher: string): string;
}

export const createTestSecretBox = (raw: Buffer = randomBytes(32)): TestSecretBox => {
  // Imported once, as a real box holds its key: a raw Buffer would be imported again on every
  // call, a cost safeStorage does not have (it keeps its key; the bench times this box).
  const key = createSecretKey(raw);
  const encrypt = (plain: string): string => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]);
    return `${TEST_SECRET_PREFIX}${sealed.toString('base64')}`;
  };
  return {
    encrypt,
    encryptNow: encrypt,
    decrypt(text: string): string {
      if (!text.startsWith(TEST_SECRET_PREFIX)) {
        throw new Error('not a test-secret-box ciphertext');
      }
      const sealed = Buffer.from(text.slice(TEST_SECRET_PREFIX.length), 'base64');
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
      const iv = sealed.subarray(0, IV_BYTES);
      const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      // final() throws on a wrong key or tampered data: exactly the "unreadable" signal we want.
      return Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
};

/** Encrypts like the real box but can never decrypt, as after an OS keyring reset. */
export const createFailingSecretBox = (): TestSecretBox => {
  const box = createTestSecretBox();
  return {
    encrypt: (plain: string): string => box.encrypt(plain),
    encryptNow: (plain: string): string => box.encrypt(plain),
    decrypt(): string {
      throw new Error('secret unreadable on this machine (test failing secret box)');
    },
  };
};
