/**
 * Real Electron, the user's first path: the window opens, a provider is added, Connect signs in
 * through the app's own embedded consent window against oidc-provider, and Copy puts a token the
 * provider accepts on the system clipboard.
 */
import { expect, test } from '@playwright/test';
import type { OidcServer } from '../../support/oidc-server';
import { startLocalIdp, userinfoStatus } from '../support/local-idp';
import { addLocalProvider, connectEmbedded } from '../support/electron/app-actions';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
} from '../support/electron/electron-harness';

const spec = 'connect-embedded.spec';

test('the main window shows the title Tokendesk', async () => {
  const runtime = requireElectron({ spec });
  const profile = createProfile();
  const running = await launchTokendesk({ runtime, profile, keyring: false });
  try {
    await expect(running.window).toHaveTitle('Tokendesk');
    const nativeTitle = await running.app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.getTitle(),
    );
    expect(nativeTitle).toBe('Tokendesk');
  } finally {
    await running.close();
    profile.remove();
  }
});

test.describe('against oidc-provider', () => {
  let oidc: OidcServer | undefined;
  test.afterAll(async () => {
    await oidc?.stop();
  });

  test('connect in the embedded consent window, copy a token, read it from the clipboard', async () => {
    const runtime = requireElectron({ spec, keyring: true });
    test.setTimeout(120_000);
    oidc = await startLocalIdp(300);
    const issuer = oidc.issuer;
    const profile = createProfile();
    const { app, window, close } = await launchTokendesk({ runtime, profile });
    try {
      await addLocalProvider(window, issuer);
      // Connect opens the app's consent window on the provider's login page; the redirect is
      // intercepted in main, the window closes and the account appears.
      const row = await connectEmbedded(app, window, 'alice');
      await expect(row.getByTestId('countdown')).toHaveText(/expires in \d+:\d\d/);

      await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
      await expect(window.getByTestId('toast')).toContainText('Copied');
      const copied = await app.evaluate(({ clipboard }) => clipboard.readText());
      expect(copied.length).toBeGreaterThan(20);
      expect(await userinfoStatus(issuer, copied)).toBe(200);
    } finally {
      await close();
      profile.remove();
    }
  });
});
