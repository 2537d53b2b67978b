/**
 * Secrets at rest in real Electron without a keyring (--password-store=basic: safeStorage has no
 * encryption at all): the user is told once, in one short message with the action; secrets live
 * in memory for the session, so the account works until the app quits and nothing of it is
 * written; after a restart the account is listed as needing a reconnect, and reconnecting makes
 * it usable again.
 */
import { expect, test } from '@playwright/test';
import { CLIENT_SECRET, startLocalIdp, userinfoStatus } from '../support/local-idp';
import { accountRow, addLocalProvider, connectEmbedded } from '../support/electron/app-actions';
import { copyToken, enterClientSecret, reconnectAccount } from '../support/electron/user-steps';
import { appSessions, safeStorageFacts } from '../support/electron/app-sessions';
import { createProfile, requireElectron } from '../support/electron/electron-harness';
import { recordIssuedSecrets } from '../support/electron/issued-secrets';
import { findSecretsInFiles, findSecretsInText } from '../support/electron/secret-search';
import { readStore } from '../support/electron/store-file';

const spec = 'secrets-no-keyring.spec';
const EMAIL = 'alice@example.test';

const TITLE = 'Secrets are kept in memory only';
const MESSAGE =
  'No keyring is available: after Tokendesk quits, every account needs connecting again. To keep them, unlock or install a keyring (GNOME Keyring, KWallet) and restart Tokendesk.';

test('without a keyring: one message, tokens in memory only, reconnect after a restart', async () => {
  const runtime = requireElectron({ spec });
  test.setTimeout(180_000);
  // An hour: no background refresh during the test.
  const oidc = await startLocalIdp(3600);
  const issued = recordIssuedSecrets(oidc, { 'client secret': CLIENT_SECRET });
  const profile = createProfile();
  const sessions = appSessions(runtime, profile);
  try {
    const first = await sessions.start(false);
    // The premise: no encryption at all, so nothing may be written (not even weakly).
    expect(await safeStorageFacts(first.app)).toEqual({
      encryptionAvailable: false,
      backend: 'basic_text',
    });
    // One heading and one paragraph, with the action, and nothing to click (there is no
    // weak encryption to opt in to).
    const banner = first.window.getByRole('region', { name: 'Secrets warning' });
    await expect(banner.getByRole('heading')).toHaveText([TITLE]);
    await expect(banner.locator('p')).toHaveText([MESSAGE]);
    await expect(banner.locator('*')).toHaveCount(2);

    await addLocalProvider(first.window, oidc.issuer);
    await connectEmbedded(first.app, first.window, 'alice');
    // In memory, the session's tokens work.
    const copied = await copyToken(first.app, first.window, EMAIL);
    expect(await userinfoStatus(oidc.issuer, copied)).toBe(200);
    // The account is saved (its metadata), its secrets and the client secret are not.
    const store = readStore(profile);
    expect(Object.values(store.accounts).map((account) => account.email)).toEqual([EMAIL]);
    expect(store.secrets).toEqual({});
    await sessions.quit(first);
    expect(readStore(profile).secrets).toEqual({});

    const second = await sessions.start(false);
    const row = accountRow(second.window, EMAIL);
    await expect(row.getByTestId('status')).toHaveText('Reconnect needed');
    await expect(row.getByTestId('countdown')).toHaveText('No token: reconnect');
    await expect(row.getByText(/kept in memory only \(no keyring\)/)).toBeVisible();
    await expect(row.getByRole('button', { name: `Copy token for ${EMAIL}` })).toBeDisabled();
    await expect(second.window.getByRole('region', { name: 'Secrets warning' })).toBeVisible();

    // The client secret was a secret in memory too: Reconnect says so before any sign-in
    // (rather than after one, as the provider's invalid_client), and typing it again is enough.
    oidc.resetCounts();
    await row.getByRole('button', { name: `Reconnect ${EMAIL}` }).click();
    const card = second.window.getByRole('region', { name: 'Local IdP' });
    await expect(card.getByRole('alert')).toContainText(
      'Tokendesk has no client secret for Local IdP',
    );
    expect(second.app.windows()).toHaveLength(1);
    expect(oidc.counts.authorizationRequests).toBe(0);
    await enterClientSecret(second.window, 'Local IdP', CLIENT_SECRET);
    await reconnectAccount(second.app, second.window, EMAIL, 'alice');
    await expect(row.getByTestId('status')).toHaveText('Valid');
    const afterReconnect = await copyToken(second.app, second.window, EMAIL);
    expect(afterReconnect).not.toBe(copied);
    expect(await userinfoStatus(oidc.issuer, afterReconnect)).toBe(200);
    expect(readStore(profile).secrets).toEqual({});
    await sessions.quit(second);

    // Two sign-ins' worth of tokens, none of them anywhere in the profile or the logs.
    expect(issued.values('access token')).toEqual(expect.arrayContaining([copied, afterReconnect]));
    expect(issued.values('refresh token').length).toBeGreaterThanOrEqual(2);
    expect(issued.values('ID token').length).toBeGreaterThanOrEqual(2);
    expect(findSecretsInFiles(profile.dir, issued.all()).findings).toEqual([]);
    expect(findSecretsInText('app output', sessions.output(), issued.all())).toEqual([]);
  } finally {
    issued.stop();
    await sessions.closeAll();
    profile.remove();
    await oidc.stop();
  }
});
