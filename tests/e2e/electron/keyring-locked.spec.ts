/**
 * A keyring that is there but locked (the login did not unlock it, and its unlock prompt fails,
 * as when the user dismisses it; on a desktop the prompt would hold the start until answered): the
 * global setup's probe says so in one line (the reason every keyring spec prints when it skips,
 * or fails with in CI), and Tokendesk starts all the same, with secrets in memory only, and says
 * so, as without any keyring (secrets-no-keyring.spec.ts shows what that means for accounts).
 */
import { expect, test } from '@playwright/test';
import { startPrivateKeyring } from '../support/electron/desktop-session';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
  requireThat,
} from '../support/electron/electron-harness';
import { probeKeyring } from '../support/electron/keyring-probe';

const spec = 'keyring-locked.spec';

test('a locked keyring: one line from the probe; the app keeps secrets in memory and says so', async () => {
  test.setTimeout(120_000);
  const runtime = requireElectron({ spec });
  const keyring = await startPrivateKeyring({ locked: true });
  requireThat('reason' in keyring ? keyring.reason : undefined, spec);
  if ('reason' in keyring) return;
  const profile = createProfile();
  try {
    const reason = await probeKeyring(runtime.executable, { ...process.env, ...keyring.env });
    expect(reason).toMatch(/^the keyring is locked/);
    expect(reason).not.toContain('\n');

    const running = await launchTokendesk({ runtime, profile, keyring: true, env: keyring.env });
    try {
      const banner = running.window.getByRole('region', { name: 'Secrets warning' });
      await expect(banner.getByRole('heading')).toHaveText('Secrets are kept in memory only');
      await expect(banner).toContainText('unlock or install a keyring');
      expect(
        await running.app.evaluate(({ safeStorage }) => safeStorage.isEncryptionAvailable()),
      ).toBe(false);
    } finally {
      await running.close();
    }
  } finally {
    profile.remove();
    await keyring.stop();
  }
});
