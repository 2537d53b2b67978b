/**
 * The secret box on safeStorage, and what the shell tells the core about it (docs SECURITY.md
 * "Secrets at rest"): secrets round-trip through the OS keyring as base64 text; no encryption at
 * all, Linux's `basic_text` (a key compiled into Chromium) and `unknown` are weak; a real keyring,
 * Keychain and DPAPI are not. A keyring that changes between sessions is covered at the core
 * level in tests/unit/core/storage/secrets-at-rest.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { detectSecretProtection, safeStorageBox } from '../../../main/shell/safe-storage-box';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform');
if (!realPlatform) throw new Error('process.platform has no descriptor');

const onPlatform = (platform: NodeJS.Platform): void => {
  Object.defineProperty(process, 'platform', { ...realPlatform, value: platform });
};

beforeEach(() => {
  vi.clearAllMocks();
  electron.safeStorage.isEncryptionAvailable.mockReturnValue(true);
  electron.safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
});

afterEach(() => {
  Object.defineProperty(process, 'platform', realPlatform);
});

describe('safeStorageBox', () => {
  it('stores the keyring’s ciphertext as base64, never the secret', async () => {
    const secret = 'gho_refresh-Ünïcode-✓';

    const stored = await safeStorageBox.encrypt(secret);

    expect(electron.safeStorage.encryptString).toHaveBeenCalledExactlyOnceWith(secret);
    const ciphertext = electron.safeStorage.encryptString.mock.results[0]?.value as Buffer;
    expect(stored).toBe(ciphertext.toString('base64'));
    expect(stored).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(stored, 'base64').toString('utf8')).not.toContain('gho_refresh');
  });

  it('reads back what it stored', async () => {
    for (const secret of ['', 'rt-1', 'gho_refresh-Ünïcode-✓', 'x'.repeat(4096)]) {
      expect(await safeStorageBox.decrypt(await safeStorageBox.encrypt(secret))).toBe(secret);
    }
    const [cipher] = electron.safeStorage.decryptString.mock.calls.at(-1) ?? [];
    expect(Buffer.isBuffer(cipher)).toBe(true);
  });

  it('throws when the keyring cannot decrypt (another key, or not its ciphertext)', () => {
    expect(() => safeStorageBox.decrypt(Buffer.from('not ours').toString('base64'))).toThrow(
      /decrypt/,
    );
  });
});

describe('detectSecretProtection', () => {
  it('no encryption at all: unavailable and weak, on every platform', () => {
    electron.safeStorage.isEncryptionAvailable.mockReturnValue(false);

    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      onPlatform(platform);
      expect(detectSecretProtection(), platform).toEqual({
        backend: 'unavailable',
        available: false,
        weak: true,
      });
    }
  });

  it.each([
    ['basic_text', true],
    ['unknown', true],
    ['gnome_libsecret', false],
    ['kwallet', false],
    ['kwallet5', false],
    ['kwallet6', false],
  ])('Linux with %s: weak is %s, and the backend is recorded', (backend, weak) => {
    onPlatform('linux');
    electron.safeStorage.getSelectedStorageBackend.mockReturnValue(backend);

    expect(detectSecretProtection()).toEqual({ backend, available: true, weak });
  });

  it('macOS uses the Keychain', () => {
    onPlatform('darwin');

    expect(detectSecretProtection()).toEqual({ backend: 'keychain', available: true, weak: false });
    // getSelectedStorageBackend is Linux-only.
    expect(electron.safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it('Windows uses DPAPI', () => {
    onPlatform('win32');

    expect(detectSecretProtection()).toEqual({ backend: 'dpapi', available: true, weak: false });
    expect(electron.safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });
});
