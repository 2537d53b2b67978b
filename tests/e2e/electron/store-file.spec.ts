/**
 * Real Electron, the data file at start: one a newer Tokendesk wrote is left exactly as it is,
 * the window says which version wrote it and that nothing is saved, and a save is refused saying
 * why; a corrupt one is moved aside and the last good copy comes back; and the files electron-store
 * and Chromium leave in the profile (the store, its copy, window state, the folder) are the
 * user's alone. A new store clears the clipboard after 90 s unless the user says otherwise.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { appSessions } from '../support/electron/app-sessions';
import { createProfile, requireElectron, type Profile } from '../support/electron/electron-harness';
import { turnOnClipboardClear } from '../support/electron/settings-actions';
import { readStore } from '../support/electron/store-file';

const spec = 'store-file.spec';

const withProfile = async (work: (profile: Profile) => Promise<void>): Promise<void> => {
  const profile = createProfile();
  try {
    await work(profile);
  } finally {
    profile.remove();
  }
};

const storeSiblings = (profile: Profile): string[] =>
  readdirSync(profile.userData)
    .filter((name) => name.startsWith('tokendesk.json'))
    .sort();

const mode = (path: string): number => statSync(path).mode & 0o777;

/** A valid store with one configured provider (no secrets: they would need the keyring). */
const storeWithProvider = (schemaVersion: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    schemaVersion,
    providers: {
      github: {
        id: 'github',
        presetId: 'github',
        label: 'GitHub',
        clientId: 'Iv1.e2e-store-file',
        clientAuth: 'client_secret_post',
        scopes: ['read:user'],
        consentMode: 'embedded',
        createdAt: 1,
        updatedAt: 1,
      },
    },
    accounts: {},
    secrets: {},
    settings: { persistWeakSecrets: false, clipboardClearSeconds: 45 },
    ...extra,
  });

test('a store a newer Tokendesk wrote is left as it is: the window says so, and nothing is saved', async () => {
  const runtime = requireElectron({ spec });
  await withProfile(async (profile) => {
    mkdirSync(profile.userData, { recursive: true });
    const newer = storeWithProvider(99, { writtenBy: '99.0.0', fromTheFuture: { x: 1 } });
    writeFileSync(profile.storeFile, newer);
    const sessions = appSessions(runtime, profile);
    try {
      const running = await sessions.start(false);
      const version = await running.app.evaluate(({ app }) => app.getVersion());
      const notice = running.window.getByRole('region', { name: 'Storage warning' });
      await expect(
        notice.getByRole('heading', { name: 'Tokendesk left its data file as it is' }),
      ).toBeVisible();
      await expect(notice).toContainText(profile.storeFile);
      await expect(notice).toContainText(
        `it was written by Tokendesk 99.0.0 (data format 99); Tokendesk ${version} reads data formats up to`,
      );
      await expect(notice).toContainText('Start that newer Tokendesk to use them.');
      // Nothing is offered that could only fail to be saved.
      await expect(
        running.window.getByRole('heading', { name: 'Welcome to Tokendesk' }),
      ).toHaveCount(0);
      await expect(running.window.getByRole('region', { name: 'GitHub' })).toHaveCount(0);

      // A save is refused, saying why.
      await running.window.getByRole('button', { name: 'Settings', exact: true }).click();
      const dialog = running.window.getByRole('dialog', { name: 'Settings' });
      await dialog.getByRole('button', { name: 'Save settings' }).click();
      await expect(dialog.getByRole('alert')).toContainText('saves nothing this session');
      await sessions.quit(running);

      expect(readFileSync(profile.storeFile, 'utf8')).toBe(newer);
      expect(storeSiblings(profile)).toEqual(['tokendesk.json']);
    } finally {
      await sessions.closeAll();
    }
  });
});

test('a corrupt store is moved aside and the last good copy comes back', async () => {
  const runtime = requireElectron({ spec });
  await withProfile(async (profile) => {
    mkdirSync(profile.userData, { recursive: true });
    const good = storeWithProvider(3);
    writeFileSync(profile.storeFile, good);
    const sessions = appSessions(runtime, profile);
    try {
      const first = await sessions.start(false);
      await expect(first.window.getByRole('region', { name: 'GitHub' })).toBeVisible();
      await sessions.quit(first);

      // Valid JSON, but not a store: the store library alone would have read it as {}.
      writeFileSync(profile.storeFile, 'null');
      const second = await sessions.start(false);
      const notice = second.window.getByRole('region', { name: 'Storage warning' });
      await expect(
        notice.getByRole('heading', { name: 'Tokendesk restored an earlier copy of its data' }),
      ).toBeVisible();
      await expect(notice).toContainText('not a JSON object but null');
      await expect(second.window.getByRole('region', { name: 'GitHub' })).toBeVisible();
      await sessions.quit(second);

      const corrupt = storeSiblings(profile).filter((name) => name.includes('.corrupt-'));
      expect(corrupt).toHaveLength(1);
      expect(readFileSync(join(profile.userData, corrupt[0]!), 'utf8')).toBe('null');
      expect(readStore(profile).providers.github?.label).toBe('GitHub');
    } finally {
      await sessions.closeAll();
    }
  });
});

test('the store, its copy, the window state and their folder are the user’s alone; clearing is on', async () => {
  const runtime = requireElectron({ spec });
  await withProfile(async (profile) => {
    const sessions = appSessions(runtime, profile);
    try {
      const running = await sessions.start(false);
      // A new store clears the clipboard after 90 s (the file says so before anything is saved).
      expect(readStore(profile).settings.clipboardClearSeconds).toBe(90);
      await turnOnClipboardClear(running.window, 30);
      await sessions.quit(running);

      expect(readStore(profile).settings.clipboardClearSeconds).toBe(30);
      expect(mode(profile.userData)).toBe(0o700);
      expect(mode(profile.storeFile)).toBe(0o600);
      expect(mode(`${profile.storeFile}.last-good`)).toBe(0o600);
      expect(mode(profile.windowStateFile)).toBe(0o600);
    } finally {
      await sessions.closeAll();
    }
  });
});
