/**
 * Asks Electron itself whether safeStorage has a working keyring: a throwaway app that reports
 * the backend Chromium chose with --password-store=gnome-libsecret and whether an
 * encrypt/decrypt round trip works. A locked keyring shows up here (libsecret waits for an unlock
 * prompt nobody answers, or Chromium falls back to basic_text), before any spec relies on it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROBE_MAIN = `
const { app, safeStorage } = require('electron');
app.whenReady().then(() => {
  const result = { backend: safeStorage.getSelectedStorageBackend(), available: safeStorage.isEncryptionAvailable() };
  try {
    result.roundTrip = safeStorage.decryptString(safeStorage.encryptString('probe')) === 'probe';
  } catch (error) {
    result.error = String(error && error.message || error);
  }
  console.log('KEYRING-PROBE ' + JSON.stringify(result));
  app.exit(0);
});
`;

interface ProbeResult {
  readonly backend?: string;
  readonly available?: boolean;
  readonly roundTrip?: boolean;
  readonly error?: string;
}

/** Undefined when the keyring works; otherwise why not, in one line. */
export const probeKeyring = async (
  executable: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<string | undefined> => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-keyring-probe-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'tokendesk-keyring-probe', main: 'main.cjs' }),
  );
  writeFileSync(join(dir, 'main.cjs'), PROBE_MAIN);
  try {
    const output = await new Promise<string | undefined>((resolve) => {
      const child = spawn(executable, [dir, '--no-sandbox', '--password-store=gnome-libsecret'], {
        env: { ...env, XDG_CONFIG_HOME: join(dir, 'config') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(undefined);
      }, timeoutMs);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    if (output === undefined) {
      return `the keyring is locked or not answering: safeStorage did not encrypt within ${timeoutMs / 1000} s`;
    }
    const line = output.split('\n').find((l) => l.startsWith('KEYRING-PROBE '));
    if (!line) return 'the keyring probe printed nothing (Electron did not start)';
    const result = JSON.parse(line.slice('KEYRING-PROBE '.length)) as ProbeResult;
    if (result.backend !== 'gnome_libsecret') {
      return `no usable keyring: safeStorage chose ${result.backend ?? 'nothing'}, not gnome_libsecret (the keyring is missing or locked)`;
    }
    if (!result.roundTrip) {
      return `the keyring is locked (or its service failed): safeStorage could not encrypt and decrypt (${result.error ?? 'no error text'})`;
    }
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
