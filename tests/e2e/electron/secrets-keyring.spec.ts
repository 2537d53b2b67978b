/**
 * Secrets at rest in real Electron with a real keyring (docs/SECURITY.md, "Secrets at rest"): an
 * account connected in one run is usable in the next one, because its tokens were stored — as
 * keyring-encrypted ciphertext, and in no other form anywhere in the profile or the app's logs.
 * And a run under another keyring keeps that ciphertext for a later run that can read it.
 */
import { expect, test, type Page } from '@playwright/test';
import { CLIENT_SECRET, startLocalIdp, userinfoStatus } from '../support/local-idp';
import { addLocalProvider, accountRow, connectEmbedded } from '../support/electron/app-actions';
import { copyToken, refreshAccount, turnOnClipboardClearing } from '../support/electron/user-steps';
import { appSessions, safeStorageFacts } from '../support/electron/app-sessions';
import { createProfile, requireElectron } from '../support/electron/electron-harness';
import { recordIssuedSecrets } from '../support/electron/issued-secrets';
import { findSecretsInFiles, findSecretsInText } from '../support/electron/secret-search';
import {
  accountIdOf,
  ciphertextVersion,
  decryptInApp,
  providerIdOf,
  readStore,
} from '../support/electron/store-file';

const spec = 'secrets-keyring.spec';
const EMAIL = 'alice@example.test';

const secretsBanner = (window: Page) => window.getByRole('region', { name: 'Secrets warning' });

/**
 * The row is listed from the same first load that brings the secrets status (use-tokendesk-data):
 * once it shows, a banner that is absent is absent for good, not just not rendered yet.
 */
const expectNoBannerOnceListed = async (window: Page) => {
  await expect(accountRow(window, EMAIL)).toBeVisible();
  await expect(secretsBanner(window)).toHaveCount(0);
};

/** The values the provider still accepts. */
const liveOnes = async (
  values: readonly string[],
  isLive: (value: string) => Promise<boolean>,
): Promise<string[]> => {
  const live = await Promise.all(values.map(isLive));
  return values.filter((_, index) => live[index]);
};

test('with the keyring: the account survives a restart and refreshes; no token is at rest in clear', async () => {
  const runtime = requireElectron({ spec, keyring: true });
  test.setTimeout(180_000);
  // An hour: the background refresh (due five minutes before expiry) cannot add to the counts.
  const oidc = await startLocalIdp(3600);
  const issued = recordIssuedSecrets(oidc, { 'client secret': CLIENT_SECRET });
  const profile = createProfile();
  const sessions = appSessions(runtime, profile);
  try {
    const first = await sessions.start(true);
    // The premise: safeStorage in this app really is on the keyring, not on Chromium's own key.
    expect(await safeStorageFacts(first.app)).toEqual({
      encryptionAvailable: true,
      backend: 'gnome_libsecret',
    });
    await addLocalProvider(first.window, oidc.issuer);
    await connectEmbedded(first.app, first.window, 'alice');
    const beforeQuit = await copyToken(first.app, first.window, EMAIL);
    await sessions.quit(first);

    const second = await sessions.start(true);
    expect((await safeStorageFacts(second.app)).backend).toBe('gnome_libsecret');
    await expectNoBannerOnceListed(second.window);
    await expect(accountRow(second.window, EMAIL).getByTestId('status')).toHaveText('Valid');
    // Read back from the stored ciphertext: the token of the first run, unrefreshed.
    expect(await copyToken(second.app, second.window, EMAIL)).toBe(beforeQuit);

    // Refresh needs the stored refresh token and client secret: the provider must see it.
    oidc.resetCounts();
    await refreshAccount(second.window, EMAIL);
    expect(oidc.counts.refreshRequests).toBe(1);
    const afterRefresh = await copyToken(second.app, second.window, EMAIL);
    expect(afterRefresh).not.toBe(beforeQuit);
    expect(await userinfoStatus(oidc.issuer, afterRefresh)).toBe(200);
    await expect(secretsBanner(second.window)).toHaveCount(0);

    // What is on disk now is ciphertext the keyring's key wrote, and it holds the secrets
    // themselves: decrypted in the app, it gives the rotated tokens and the typed client secret.
    const store = readStore(profile);
    expect(store.secretProtection).toBe('gnome_libsecret');
    const accountCipher = store.secrets[`account:${accountIdOf(store, EMAIL)}`];
    const clientCipher = store.secrets[`client:${providerIdOf(store, 'Local IdP')}`];
    expect(accountCipher).toBeDefined();
    expect(clientCipher).toBeDefined();
    expect(ciphertextVersion(accountCipher ?? '')).toBe('v11');
    expect(ciphertextVersion(clientCipher ?? '')).toBe('v11');
    const accountPlain = await decryptInApp(second.app, accountCipher ?? '');
    expect(accountPlain).toContain(afterRefresh);
    const liveRefreshTokens = await liveOnes(issued.values('refresh token'), (token) =>
      oidc.isRefreshTokenActive(token),
    );
    expect(liveRefreshTokens).toHaveLength(1);
    expect(accountPlain).toContain(liveRefreshTokens[0]);
    expect(await decryptInApp(second.app, clientCipher ?? '')).toBe(CLIENT_SECRET);
    await sessions.quit(second);

    // Every token the provider issued: two of each (connect, refresh) for the rotated kinds.
    expect(issued.values('access token')).toEqual(
      expect.arrayContaining([beforeQuit, afterRefresh]),
    );
    expect(issued.values('refresh token').length).toBeGreaterThanOrEqual(2);
    expect(issued.values('ID token').length).toBeGreaterThanOrEqual(1);
    const { findings, filesSearched } = findSecretsInFiles(profile.dir, issued.all());
    expect(filesSearched).toBeGreaterThan(1);
    expect(findings).toEqual([]);
    expect(findSecretsInText('app output', sessions.output(), issued.all())).toEqual([]);
  } finally {
    issued.stop();
    await sessions.closeAll();
    profile.remove();
    await oidc.stop();
  }
});

test('keyring changed between runs: the ciphertext is kept, and the keyring brings the account back', async () => {
  const runtime = requireElectron({ spec, keyring: true });
  test.setTimeout(180_000);
  const oidc = await startLocalIdp(3600); // no background refresh during the test
  const issued = recordIssuedSecrets(oidc, { 'client secret': CLIENT_SECRET });
  const profile = createProfile();
  const sessions = appSessions(runtime, profile);
  try {
    const first = await sessions.start(true);
    await addLocalProvider(first.window, oidc.issuer);
    await connectEmbedded(first.app, first.window, 'alice');
    const token = await copyToken(first.app, first.window, EMAIL);
    await sessions.quit(first);
    const written = readStore(profile).secrets;

    const second = await sessions.start(false);
    const banner = secretsBanner(second.window);
    await expect(banner.getByRole('heading')).toHaveText([
      'Secrets were saved under another keyring',
    ]);
    await expect(banner.locator('p')).toHaveText([
      /encrypted with the GNOME keyring.*need reconnecting/,
    ]);
    // The rows agree with the banner from the start, not only once a copy has failed.
    const row = accountRow(second.window, EMAIL);
    await expect(row.getByTestId('status')).toHaveText('Reconnect needed');
    await expect(row.getByTestId('countdown')).toHaveText('No token: reconnect');
    await expect(row.getByText(/saved with gnome_libsecret protection/)).toBeVisible();
    // Reconnecting cannot work here (the client secret is unreadable too): it says why at once,
    // and destroys nothing.
    await row.getByRole('button', { name: `Reconnect ${EMAIL}` }).click();
    await expect(
      second.window.getByRole('region', { name: 'Local IdP' }).getByRole('alert'),
    ).toContainText('saved with gnome_libsecret protection');
    // A change this session writes must not take the ciphertext it cannot read with it.
    await turnOnClipboardClearing(second.window);
    expect(readStore(profile).settings.clipboardClearSeconds).toEqual(expect.any(Number));
    await sessions.quit(second);
    expect(readStore(profile).secrets).toEqual(written);

    const third = await sessions.start(true);
    await expectNoBannerOnceListed(third.window);
    oidc.resetCounts();
    expect(await copyToken(third.app, third.window, EMAIL)).toBe(token);
    expect(await userinfoStatus(oidc.issuer, token)).toBe(200);
    expect(oidc.counts).toMatchObject({ authorizationRequests: 0, tokenRequests: 0 });
    // The refresh token and the client secret came back too.
    await refreshAccount(third.window, EMAIL);
    expect(oidc.counts.refreshRequests).toBe(1);
    await sessions.quit(third);

    expect(findSecretsInFiles(profile.dir, issued.all()).findings).toEqual([]);
    expect(findSecretsInText('app output', sessions.output(), issued.all())).toEqual([]);
  } finally {
    issued.stop();
    await sessions.closeAll();
    profile.remove();
    await oidc.stop();
  }
});
