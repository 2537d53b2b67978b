/**
 * Tokendesk on a company network, in real Electron: the provider (a real oidc-provider over
 * HTTPS) has a name only the company proxy can reach (`idp.tokendesk.test`) and a certificate
 * from the company's private CA, which only the system store (the NSS database Chromium reads on
 * Linux) trusts. So every request main makes must take the system's proxy, answer its password
 * prompt, and trust the system's CAs — as the consent window does — or it cannot get through.
 *
 * Also the faults: a wrong proxy password is asked for again (and never written anywhere), a
 * proxy that closes connections gives a clear error and leaves the account as it was, a PAC file
 * that fails is named by Test connection, and without the CA Test connection names the
 * certificate it refused.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestProxy, type TestProxy } from '../../support/http-proxy';
import { startOidcServer, type OidcServer } from '../../support/oidc-server';
import { createTestPki, pkiUnavailable, type TestPki } from '../../support/test-pki';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, fillLocalProvider } from '../support/local-idp';
import { accountRow, signInAndApprove } from '../support/electron/app-actions';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
  requireThat,
  type Profile,
} from '../support/electron/electron-harness';
import { homeWithNssDb, nssToolsMissing } from '../support/electron/nss-trust';
import { copyToken } from '../support/electron/user-steps';

const spec = 'company-network.spec';
const IDP_HOST = 'idp.tokendesk.test';
const EMAIL = 'alice@example.test';
const PROXY_USER = 'ana';
const WRONG_PASSWORD = 'wrong-proxy-password-1c9d';
const RIGHT_PASSWORD = 'right-proxy-password-7f3a';

let pki: TestPki;
let oidc: OidcServer;
let proxy: TestProxy;

test.beforeAll(async () => {
  requireThat(pkiUnavailable() ?? nssToolsMissing(), spec);
  pki = createTestPki('Tokendesk Company', [IDP_HOST]);
  oidc = await startOidcServer({
    rotateRefreshToken: true,
    accessTokenTtl: 3600,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        authMethod: 'client_secret_basic',
        redirectUris: [REDIRECT_URI],
      },
    ],
    tls: { cert: pki.serverCert, key: pki.serverKey, host: IDP_HOST },
  });
  proxy = await startTestProxy();
});

test.afterAll(async () => {
  await proxy?.stop();
  await oidc?.stop();
  pki?.dispose();
});

const launch = (profile: Profile, home: string, args: readonly string[]) =>
  launchTokendesk({
    runtime: requireElectron({ spec }),
    profile,
    keyring: false,
    env: { HOME: home },
    args,
  });

/**
 * Answers the app's proxy prompt. `refused`: the prompt says the last answer was refused;
 * `accepted`: this answer is right, so no prompt follows it.
 */
const answerProxyPrompt = async (
  window: Page,
  password: string,
  { refused, accepted }: { refused: boolean; accepted: boolean },
) => {
  const prompt = window.getByRole('dialog', { name: 'The proxy asks you to sign in' });
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  await expect(prompt).toContainText(proxy.hostPort);
  await expect(prompt.getByRole('alert')).toHaveCount(refused ? 1 : 0);
  await prompt.getByLabel('User name').fill(PROXY_USER);
  await prompt.getByLabel('Password').fill(password);
  await prompt.getByRole('button', { name: 'Sign in to proxy' }).click();
  if (accepted) await expect(prompt).toBeHidden();
  // Refused: the proxy asks again at once, and the prompt comes back saying so.
  else await expect(prompt.getByRole('alert')).toHaveCount(1);
};

/** Every file under `dir`, as text. */
const allFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? allFiles(path) : [readFileSync(path, 'latin1')];
  });

const testConnection = async (window: Page) => {
  await window
    .getByRole('button', { name: /^Add (a )?provider$/ })
    .first()
    .click();
  await fillLocalProvider(window, oidc.issuer);
  const form = window.getByRole('dialog', { name: 'Add provider' });
  await form.getByRole('button', { name: 'Test connection' }).click();
  const result = form.getByRole('status').filter({ hasText: /Tokendesk (reaches|cannot)/ });
  await expect(result).toBeVisible({ timeout: 30_000 });
  return result;
};

test('through an authenticating proxy and a company CA: connect, copy, refresh, and a proxy that closes connections', async () => {
  test.setTimeout(180_000);
  const profile = createProfile();
  const home = homeWithNssDb(profile.dir, pki.caFile);
  proxy.requireCredentials({ user: PROXY_USER, password: RIGHT_PASSWORD });
  proxy.closeConnections(false);
  proxy.seen.length = 0;
  oidc.resetCounts();
  const { app, window, close } = await launch(profile, home, [`--proxy-server=${proxy.hostPort}`]);
  try {
    await window
      .getByRole('button', { name: /^Add (a )?provider$/ })
      .first()
      .click();
    await fillLocalProvider(window, oidc.issuer);
    const form = window.getByRole('dialog', { name: 'Add provider' });
    await form.getByRole('radio', { name: 'Embedded window' }).check();
    await form.getByRole('button', { name: 'Save provider' }).click();
    await expect(form).toBeHidden();

    // Connect: the app's requests meet the proxy's 407; the user is asked in the app window.
    const consentOpened = app.waitForEvent('window');
    await window.getByRole('button', { name: 'Connect Local IdP' }).click();
    await answerProxyPrompt(window, WRONG_PASSWORD, { refused: false, accepted: false });
    await answerProxyPrompt(window, RIGHT_PASSWORD, { refused: true, accepted: true });
    const consent = await consentOpened;
    await signInAndApprove(consent, 'alice');
    const row = accountRow(window, EMAIL);
    await expect(row).toBeVisible({ timeout: 30_000 });

    // Main's code exchange went through the proxy with the kept answer: not asked a third time.
    await expect(window.getByRole('dialog', { name: 'The proxy asks you to sign in' })).toHaveCount(
      0,
    );
    expect(oidc.counts.authorizationCodeRequests).toBe(1);
    const tunnels = proxy.seen.filter(
      (record) => record.method === 'CONNECT' && record.target.startsWith(`${IDP_HOST}:`),
    );
    expect(tunnels.some((record) => record.authorized)).toBe(true);
    // Nothing of the app's own went anywhere else (the provider's login page may load its fonts):
    // no dictionary download from Google on the side.
    expect(proxy.seen.map((record) => record.target)).not.toContainEqual(
      expect.stringMatching(/gvt1\.com|gstatic|clients\d*\.google/),
    );

    const token = await copyToken(app, window, EMAIL);
    expect(await oidc.isAccessTokenActive(token)).toBe(true);

    // A refresh also takes the proxy (the only way to the provider's name).
    const before = oidc.counts.refreshRequests;
    await row.getByRole('button', { name: `Refresh ${EMAIL}` }).click();
    await expect(window.getByTestId('toast')).toContainText(`Refreshed the token for ${EMAIL}`, {
      timeout: 30_000,
    });
    expect(oidc.counts.refreshRequests).toBe(before + 1);

    // The proxy now closes every connection: a clear error, and the account keeps its token.
    proxy.closeConnections(true);
    const refreshed = await copyToken(app, window, EMAIL);
    await row.getByRole('button', { name: `Refresh ${EMAIL}` }).click();
    const problem = window.getByRole('alert').filter({ hasText: 'Could not refresh the token' });
    await expect(problem).toContainText(`through the proxy ${proxy.hostPort}`, { timeout: 30_000 });
    proxy.closeConnections(false);
    expect(await copyToken(app, window, EMAIL)).toBe(refreshed);
    expect(await oidc.isAccessTokenActive(refreshed)).toBe(true);
  } finally {
    await close();
    proxy.closeConnections(false);
  }
  // The proxy's password was never written: not in the store, the logs or Chromium's files.
  for (const text of allFiles(profile.dir)) {
    expect(text.includes(RIGHT_PASSWORD)).toBe(false);
    expect(text.includes(WRONG_PASSWORD)).toBe(false);
  }
  profile.remove();
});

test('Test connection: without the proxy the name does not resolve; a failing PAC file is named', async () => {
  test.setTimeout(120_000);
  const profile = createProfile();
  const home = homeWithNssDb(profile.dir, pki.caFile);
  // A PAC file whose script fails when asked where to go.
  const pacServer = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' })
      .end('function FindProxyForURL(url, host) { throw new Error("broken PAC"); }');
  });
  await new Promise<void>((resolve) => pacServer.listen(0, '127.0.0.1', resolve));
  const pac = {
    url: `http://127.0.0.1:${(pacServer.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => pacServer.close(resolve)),
  };
  try {
    {
      const { window, close } = await launch(profile, home, []);
      try {
        const result = await testConnection(window);
        await expect(result).toContainText('Name lookup (DNS)');
        await expect(result).toContainText(`the name ${IDP_HOST} could not be resolved`);
        await expect(result).toContainText('(direct)');
      } finally {
        await close();
      }
    }
    {
      const { window, close } = await launch(profile, home, [
        `--proxy-pac-url=${pac.url}/proxy.pac`,
      ]);
      try {
        const result = await testConnection(window);
        await expect(result).toContainText(/Tokendesk cannot use this provider from here/);
        await expect(result).toContainText(/PAC|Name lookup \(DNS\)/);
      } finally {
        await close();
      }
    }
  } finally {
    await pac.stop();
    profile.remove();
  }
});

test('without the company CA in the system store, Test connection names the certificate it refused', async () => {
  test.setTimeout(120_000);
  const profile = createProfile();
  const home = homeWithNssDb(profile.dir);
  proxy.requireCredentials(undefined);
  const { window, close } = await launch(profile, home, [`--proxy-server=${proxy.hostPort}`]);
  try {
    const result = await testConnection(window);
    await expect(result).toContainText('TLS certificate');
    await expect(result).toContainText(
      `“${pki.serverName}”, issued by “${pki.caName}”, through the proxy ${proxy.hostPort} (ERR_CERT_AUTHORITY_INVALID)`,
    );
    await expect(result).toContainText(`through the proxy ${proxy.hostPort}`);
  } finally {
    await close();
    profile.remove();
  }
});
