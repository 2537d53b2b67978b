/**
 * Real Electron, a provider through a token backend: the tests' standard-shape backend
 * (tests/support/backends) holds the client secret in front of oidc-provider, and the app never
 * has it. The provider is set up in the real form, the sign-in happens in the app's embedded
 * consent window, and the redirect goes to the web redirect URI the backend's client registered
 * (https://app.example.test/oauth/callback). The window must catch it before it loads: the app
 * runs with that name mapped to a listener that counts connections, and it gets none. Then the
 * token is copied and refreshed through the backend, and the backend credential, like every
 * token, is in no file of the profile in any encoding.
 */
import { createServer, type Server } from 'node:net';
import { expect, test } from '@playwright/test';
import { startOidcServer, type OidcServer } from '../../support/oidc-server';
import {
  backendClient,
  startStandardBackend,
  type TokenBackend,
} from '../../support/token-backends';
import { accountRow, signInAndApprove } from '../support/electron/app-actions';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
} from '../support/electron/electron-harness';
import { recordIssuedSecrets } from '../support/electron/issued-secrets';
import { findSecretsInFiles, findSecretsInText } from '../support/electron/secret-search';
import { userinfoStatus } from '../support/local-idp';

const spec = 'token-backend.spec';
const WEB_REDIRECT_URI = 'https://app.example.test/oauth/callback';
const CLIENT = { clientId: 'team-web-client', clientSecret: 'only-the-backend-knows-this-0123' };
const CREDENTIAL = 'team-backend-credential-5b1e9d';

/** A listener that counts every connection made to it and closes each at once. */
const startTrap = async (): Promise<{
  server: Server;
  port: number;
  connections: () => number;
}> => {
  let count = 0;
  const server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
  return { server, port, connections: () => count };
};

let oidc: OidcServer | undefined;
let backend: TokenBackend | undefined;
let trap: Awaited<ReturnType<typeof startTrap>> | undefined;
test.afterAll(async () => {
  await backend?.stop();
  await oidc?.stop();
  await new Promise((resolve) => (trap ? trap.server.close(resolve) : resolve(undefined)));
});

test('through a backend: the embedded window catches the web redirect URI, the backend exchanges and refreshes, the credential stays encrypted', async () => {
  const runtime = requireElectron({ spec, keyring: true });
  test.setTimeout(120_000);
  trap = await startTrap();
  oidc = await startOidcServer({
    rotateRefreshToken: true,
    accessTokenTtl: 300,
    clients: [backendClient(CLIENT, [WEB_REDIRECT_URI], { pkceRequired: true })],
  });
  backend = await startStandardBackend({
    server: oidc,
    client: CLIENT,
    redirectUri: WEB_REDIRECT_URI,
    credential: CREDENTIAL,
  });
  const issued = recordIssuedSecrets(oidc, {
    'client secret': CLIENT.clientSecret,
    'backend credential': CREDENTIAL,
  });
  const profile = createProfile();
  const { app, window, close, output } = await launchTokendesk({
    runtime,
    profile,
    args: [`--host-resolver-rules=MAP app.example.test 127.0.0.1:${trap.port}`],
  });
  try {
    await window
      .getByRole('button', { name: /^Add (a )?provider$/ })
      .first()
      .click();
    const form = window.getByRole('dialog', { name: 'Add provider' });
    await form
      .getByLabel('Provider', { exact: true })
      .selectOption({ label: 'Custom OpenID Connect' });
    await form.getByLabel('Label', { exact: true }).fill('Team IdP');
    await form.getByLabel('Issuer URL', { exact: true }).fill(oidc.issuer);
    await form.getByLabel('Client ID', { exact: true }).fill(CLIENT.clientId);
    await form.getByRole('radio', { name: 'Through a backend' }).check();
    await form
      .getByRole('combobox', { name: 'Backend shape' })
      .selectOption({ label: 'Standard token answer' });
    await form.getByRole('textbox', { name: 'Backend URL' }).fill(backend.url);
    await form.getByRole('textbox', { name: 'Redirect URI' }).fill(WEB_REDIRECT_URI);
    await form.getByLabel('Backend credential (optional)').fill(CREDENTIAL);
    await form.getByRole('radio', { name: 'Embedded window' }).check();
    await form.getByRole('button', { name: 'Save provider' }).click();
    await expect(form).toBeHidden();

    const consentOpened = app.waitForEvent('window');
    await window.getByRole('button', { name: 'Connect Team IdP' }).click();
    const consent = await consentOpened;
    await signInAndApprove(consent, 'alice');
    const row = accountRow(window, 'alice@example.test');
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => consent.isClosed()).toBe(true);

    // The code went to the backend, PKCE verifier and credential with it, no client secret.
    expect(backend.counts.exchanges).toBe(1);
    const exchange = new URLSearchParams(backend.exchangeRequests[0]?.rawBody ?? '');
    expect(exchange.get('redirect_uri')).toBe(WEB_REDIRECT_URI);
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(exchange.has('client_secret')).toBe(false);
    expect(backend.exchangeRequests[0]?.headers.authorization).toBe(`Bearer ${CREDENTIAL}`);
    // Nothing reached the redirect URI's server: the window caught the redirect before it loaded.
    expect(trap.connections()).toBe(0);

    await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
    await expect(window.getByTestId('toast')).toContainText('Copied');
    const copied = await app.evaluate(({ clipboard }) => clipboard.readText());
    expect(await userinfoStatus(oidc.issuer, copied)).toBe(200);

    await row.getByRole('button', { name: 'Refresh alice@example.test' }).click();
    await expect.poll(() => backend?.counts.refreshes).toBe(1);
    await expect(row.getByTestId('countdown')).toHaveText(/expires in \d+:\d\d/);
    await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
    await expect.poll(() => app.evaluate(({ clipboard }) => clipboard.readText())).not.toBe(copied);
    const refreshed = await app.evaluate(({ clipboard }) => clipboard.readText());
    expect(await userinfoStatus(oidc.issuer, refreshed)).toBe(200);

    // Disconnect leaves revocation to the backend, and says so.
    await row.getByRole('button', { name: 'Disconnect alice@example.test' }).click();
    const confirm = window.getByRole('dialog', { name: 'Disconnect alice@example.test?' });
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await expect(window.getByText(/revoking them is the backend’s business/)).toBeVisible();
    await expect(row).toBeHidden();
    // Still valid at the provider: only the backend could end it.
    expect(await userinfoStatus(oidc.issuer, refreshed)).toBe(200);
    expect(backend.counts.refreshes).toBe(1);
    expect(trap.connections()).toBe(0);
  } finally {
    await close();
  }
  try {
    const { findings, filesSearched } = findSecretsInFiles(profile.dir, issued.all());
    expect(filesSearched).toBeGreaterThan(1);
    expect(findings).toEqual([]);
    expect(findSecretsInText('app output', output(), issued.all())).toEqual([]);
  } finally {
    issued.stop();
    profile.remove();
  }
});
