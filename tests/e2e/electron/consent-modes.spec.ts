/**
 * Real Electron, both consent modes against oidc-provider: system browser (the app hands the
 * authorization URL to the desktop and listens once on 127.0.0.1) and the embedded window
 * (denied, or closed by the user before the end).
 */
import { request } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import type { OidcServer } from '../../support/oidc-server';
import { CLIENT_ID, REDIRECT_URI, startLocalIdp, userinfoStatus } from '../support/local-idp';
import {
  accountRow,
  addLocalProvider,
  connectEmbedded,
  signIn,
  signInAndApprove,
} from '../support/electron/app-actions';
import {
  cancelOnProviderPage,
  closeWindowAsUser,
  consentPrompt,
  expectNoAccountStored,
  readStoreFile,
  recordToasts,
} from '../support/electron/consent-steps';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
  type Profile,
  type RunningApp,
} from '../support/electron/electron-harness';
import {
  installFakeBrowserOpener,
  startTestBrowser,
  type FakeBrowserOpener,
  type TestBrowser,
} from '../support/electron/system-browser';

const spec = 'consent-modes.spec';

let oidc: OidcServer | undefined;
test.beforeAll(async () => {
  oidc = await startLocalIdp(300);
});
test.afterAll(async () => {
  await oidc?.stop();
});

const issuer = (): string => {
  if (!oidc) throw new Error('oidc-provider did not start');
  return oidc.issuer;
};

/**
 * The sign-in alert's message: the provider's reason in the app's sentence. Matched as one text,
 * since the same reason also sits in the alert's collapsed Details, which a user does not see.
 */
const deniedMessage = (window: Page) =>
  window
    .getByRole('alert')
    .filter({ hasText: 'Could not connect Local IdP' })
    .getByText(/denied at Local IdP \(access_denied: End-User aborted interaction\)/);

/**
 * A request another local program could send the loopback listener (a browser cannot choose its
 * Host header; a page whose host name was rebound to 127.0.0.1 sends its own): the status and
 * the page it got.
 */
const localRequest = (url: URL, host?: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent: false, headers: host !== undefined ? { host } : {} },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });

/** Launches the app on a fresh profile, runs `body`, and always quits it and removes the profile. */
const withApp = async (
  env: Readonly<Record<string, string>>,
  body: (running: RunningApp, profile: Profile) => Promise<void>,
): Promise<void> => {
  const runtime = requireElectron({ spec, keyring: true });
  test.setTimeout(120_000);
  const profile = createProfile();
  try {
    const running = await launchTokendesk({ runtime, profile, env });
    try {
      await body(running, profile);
    } finally {
      await running.close();
    }
  } finally {
    profile.remove();
  }
};

test.describe('system browser', () => {
  let opener: FakeBrowserOpener;
  let browser: TestBrowser | undefined;
  test.beforeEach(() => {
    opener = installFakeBrowserOpener();
  });
  test.afterEach(async () => {
    await browser?.close();
    browser = undefined;
    opener.remove();
  });

  test('Connect opens the provider in the browser; signing in there connects the account', async () => {
    await withApp(opener.env, async ({ app, window }, profile) => {
      await addLocalProvider(window, issuer(), 'System browser');
      await window.getByRole('button', { name: 'Connect Local IdP' }).click();
      const url = await opener.nextUrl(0);
      await expect(window.getByText('Your browser opened the sign-in page')).toBeVisible();
      // No sign-in window of the app's own: the browser is where the user signs in.
      expect(app.windows()).toHaveLength(1);

      const discovery = (await (
        await fetch(`${issuer()}/.well-known/openid-configuration`)
      ).json()) as { authorization_endpoint: string };
      expect(`${url.origin}${url.pathname}`).toBe(discovery.authorization_endpoint);
      expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(url.searchParams.get('response_type')).toBe('code');
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(url.searchParams.get('state')).toBeTruthy();
      // RFC 8252 §7.3: loopback IP literal, a port the app is listening on, the callback path.
      const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
      expect(redirect.protocol).toBe('http:');
      expect(redirect.hostname).toBe('127.0.0.1');
      expect(Number(redirect.port)).toBeGreaterThan(0);
      expect(redirect.pathname).toBe(new URL(REDIRECT_URI).pathname);

      browser = await startTestBrowser();
      const tab = await browser.open(url);
      await signInAndApprove(tab, 'carol');
      // The tab is the app's listener answering the provider's redirect.
      await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible();
      await expect(tab.getByText('You can close this tab')).toBeVisible();
      expect(`${new URL(tab.url()).origin}${new URL(tab.url()).pathname}`).toBe(redirect.href);

      const row = accountRow(window, 'carol@example.test');
      await expect(row).toBeVisible({ timeout: 30_000 });
      await row.getByRole('button', { name: 'Copy token for carol@example.test' }).click();
      // Polled: main writes the clipboard after the click's round trip.
      const clipboardToken = async () =>
        userinfoStatus(issuer(), await app.evaluate(({ clipboard }) => clipboard.readText()));
      await expect.poll(clipboardToken, { timeout: 30_000 }).toBe(200);

      const stored = readStoreFile(profile);
      expect(Object.values(stored.providers).map((p) => p.consentMode)).toEqual(['system-browser']);
      expect(Object.values(stored.accounts).map((a) => a.email)).toEqual(['carol@example.test']);
      // One Connect, one browser tab; and the one-shot listener no longer takes connections.
      expect(opener.openedUrls()).toHaveLength(1);
      const listener = () =>
        fetch(redirect).then(
          async (response) => {
            await response.body?.cancel();
            return 'answers';
          },
          () => 'refused',
        );
      await expect.poll(listener).toBe('refused');
    });
  });

  test('forged requests to the listener during a sign-in are refused, and the real sign-in connects', async () => {
    await withApp(opener.env, async ({ window }, profile) => {
      await addLocalProvider(window, issuer(), 'System browser');
      await window.getByRole('button', { name: 'Connect Local IdP' }).click();
      const url = await opener.nextUrl(0);
      const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');

      // Another program on this computer answers first, as if it were the provider: a made-up
      // code and state, then the real state under a Host that is not the listener's.
      const forged = new URL(redirect);
      forged.search = new URLSearchParams({
        code: 'forged-code',
        state: 'forged-state',
      }).toString();
      const other = await localRequest(forged);
      expect(other.status).toBe(400);
      expect(other.body).toContain('Sign-in not completed');
      forged.searchParams.set('state', url.searchParams.get('state') ?? '');
      expect((await localRequest(forged, `attacker.example:${redirect.port}`)).status).toBe(400);
      // The app is still waiting for the user, and says nothing went wrong.
      await expect(window.getByText('Your browser opened the sign-in page')).toBeVisible();
      await expect(window.getByRole('alert')).toHaveCount(0);

      browser = await startTestBrowser();
      const tab = await browser.open(url);
      await signInAndApprove(tab, 'frank');
      await expect(tab.getByRole('heading', { name: 'Signed in' })).toBeVisible();
      await expect(accountRow(window, 'frank@example.test')).toBeVisible({ timeout: 30_000 });
      expect(Object.values(readStoreFile(profile).accounts).map((a) => a.email)).toEqual([
        'frank@example.test',
      ]);
    });
  });

  test('a denial in the browser is shown in the app, and nothing is stored', async () => {
    await withApp(opener.env, async ({ window }, profile) => {
      await addLocalProvider(window, issuer(), 'System browser');
      await window.getByRole('button', { name: 'Connect Local IdP' }).click();
      browser = await startTestBrowser();
      const tab = await browser.open(await opener.nextUrl(0));
      await signIn(tab, 'dave');
      await consentPrompt(tab).waitFor();
      await cancelOnProviderPage(tab);

      // The tab must not claim a sign-in; the app says why.
      await expect(tab.getByRole('heading', { name: 'Sign-in not completed' })).toBeVisible();
      await expect(deniedMessage(window)).toBeVisible({ timeout: 30_000 });
      await expect(window.getByRole('button', { name: 'Connect Local IdP' })).toBeEnabled();
      await expect(accountRow(window, 'dave@example.test')).toHaveCount(0);
      expectNoAccountStored(profile);
    });
  });
});

test.describe('embedded window', () => {
  test('a denial on the consent page is shown in plain words, and nothing is stored', async () => {
    await withApp({}, async ({ app, window }, profile) => {
      await addLocalProvider(window, issuer());
      const opened = app.waitForEvent('window');
      await window.getByRole('button', { name: 'Connect Local IdP' }).click();
      const consent = await opened;
      await signIn(consent, 'dave');
      await consentPrompt(consent).waitFor();
      await cancelOnProviderPage(consent);

      await expect(deniedMessage(window)).toBeVisible({ timeout: 30_000 });
      await expect.poll(() => consent.isClosed()).toBe(true);
      await expect(window.getByRole('button', { name: 'Connect Local IdP' })).toBeEnabled();
      await expect(accountRow(window, 'dave@example.test')).toHaveCount(0);
      expectNoAccountStored(profile);
    });
  });

  test('closing the consent window cancels the sign-in, and Connect works again', async () => {
    await withApp({}, async ({ app, window }, profile) => {
      await addLocalProvider(window, issuer());
      const connect = window.getByRole('button', { name: 'Connect Local IdP' });
      const cancelSignIn = window.getByRole('button', { name: 'Cancel sign-in' });
      const toasts = await recordToasts(window);
      const opened = app.waitForEvent('window');
      await connect.click();
      const consent = await opened;
      await expect(connect).toBeDisabled();
      await expect(cancelSignIn).toBeVisible();
      // Signed in but not yet approved: the window is closed half-way.
      await signIn(consent, 'erin');
      await consentPrompt(consent).waitFor();
      await closeWindowAsUser(app, consent);

      // A cancellation, not an error: a note, no alert, and the card is back to Connect.
      await expect.poll(toasts).toContain('Sign-in with Local IdP cancelled.');
      await expect(connect).toBeEnabled();
      await expect(cancelSignIn).toBeHidden();
      await expect(window.getByText('Waiting for you to sign in')).toBeHidden();
      await expect(window.getByRole('alert')).toHaveCount(0);
      await expect(accountRow(window, 'erin@example.test')).toHaveCount(0);
      expectNoAccountStored(profile);

      // The next attempt starts signed out (connectEmbedded signs in on the login page again).
      await connectEmbedded(app, window, 'erin');
      expect(Object.values(readStoreFile(profile).accounts).map((a) => a.email)).toEqual([
        'erin@example.test',
      ]);
    });
  });
});
