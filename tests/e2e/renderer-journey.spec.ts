/**
 * The user's path, end to end in real Chromium: the built renderer (out/renderer), a test host
 * that binds the preload's API surface to the real API object (core + storage) in this process,
 * the test consent port acting on oidc-provider's real login and consent pages, and oidc-provider
 * on 127.0.0.1. What the tests look at is what a user sees; what they check behind it is what the
 * provider says about the tokens.
 *
 * The screenshots of the main screens in the README come from these runs (docs/screenshots/).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createBrowserConsentPort, type ConsentScript } from '../support/browser-consent-port';
import type { OidcServer } from '../support/oidc-server';
import { createCoreFixture, type CoreFixture } from '../integration/core-fixture';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  REDIRECT_URI,
  fillLocalProvider,
  startLocalIdp,
  userinfoStatus as localUserinfo,
} from './support/local-idp';
import { hostRenderer, type RendererHost } from './support/renderer-host';
import { serveRenderer, type StaticServer } from './support/static-server';

/** Short enough that the background refresh comes during the test (its lead is 20 % of it). */
const TOKEN_TTL_S = 20;
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

let oidc: OidcServer;
let site: StaticServer;

test.beforeAll(async () => {
  oidc = await startLocalIdp(TOKEN_TTL_S);
  site = await serveRenderer();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

test.afterAll(async () => {
  await site.close();
  await oidc.stop();
});

interface App {
  readonly fixture: CoreFixture;
  readonly host: RendererHost;
  /** What the consent port does at the provider on the next connect. */
  script: ConsentScript;
  /** Every refresh token the core has held for any account, for the leak check. */
  readonly refreshTokens: Set<string>;
  noteSecrets(): Promise<void>;
  dispose(): void;
}

const startApp = async (page: Page, browser: Browser): Promise<App> => {
  const app = { script: { login: 'alice' } } as App;
  const port = createBrowserConsentPort(browser, () => app.script, { timeoutMs: 30_000 });
  const fixture = createCoreFixture(port, { keepFresh: true, logger: silent });
  const host = await hostRenderer(page, fixture.api, fixture.core.events);
  const refreshTokens = new Set<string>();
  // The page may only reach the provider's pages through the consent port, never on its own.
  await page.route('**/*', (route) =>
    route.request().url().startsWith(site.url) ? route.continue() : route.abort(),
  );
  return Object.assign(app, {
    fixture,
    host,
    refreshTokens,
    async noteSecrets() {
      for (const account of fixture.core.repo.accounts()) {
        const secrets = await fixture.core.repo.accountSecrets(account.id);
        if (secrets?.refreshToken) refreshTokens.add(secrets.refreshToken);
      }
    },
    dispose() {
      host.dispose();
      fixture.dispose();
    },
  });
};

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Screenshots a main screen for the README, and checks it with axe-core against WCAG 2.1 A/AA
 * (names, roles, contrast, focusable controls) in the light and the dark theme.
 */
const shoot = async (
  page: Page,
  name: string,
  options: { readonly darkToo?: boolean } = {},
): Promise<void> => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: 'disabled' });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    if (colorScheme === 'dark' && options.darkToo) {
      await page.screenshot({ path: `${SCREENSHOTS}${name}-dark.png`, animations: 'disabled' });
    }
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(
      violations.map(
        (v) =>
          `${v.id} (${v.impact ?? '?'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
      `accessibility of the ${name} screen, ${colorScheme} theme`,
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
};

/** "expires in 1:02:03" / "expires in 0:19" → seconds left; anything else → undefined. */
const secondsLeft = (text: string): number | undefined => {
  const match = /expires in (?:(\d+):)?(\d+):(\d+)/.exec(text);
  if (!match) return undefined;
  return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
};

const addLocalProvider = (page: Page): Promise<void> => fillLocalProvider(page, oidc.issuer);
const userinfoStatus = (token: string): Promise<number> => localUserinfo(oidc.issuer, token);

test.use({ viewport: { width: 1100, height: 760 } });

test('add a provider, connect, copy a live token, see it refreshed, disconnect', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const app = await startApp(page, browser);
  try {
    await page.goto(site.url);

    // First run.
    await expect(page.getByRole('heading', { name: 'Welcome to Tokendesk' })).toBeVisible();
    await shoot(page, 'empty-state');

    // Add the provider by issuer URL; the exact redirect URI to register is shown and copyable.
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const form = page.getByRole('dialog', { name: 'Add provider' });
    await addLocalProvider(page);
    await expect(form.getByTestId('redirect-uri')).toHaveText(REDIRECT_URI);
    await form.getByRole('button', { name: 'Copy redirect URI' }).click();
    await expect.poll(() => app.fixture.clipboard.readText()).toBe(REDIRECT_URI);
    await shoot(page, 'provider-form');
    await form.getByRole('button', { name: 'Save provider' }).click();
    await expect(form).toBeHidden();

    // Connect: the consent port logs in and consents on the provider's own pages.
    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const row = page.getByRole('listitem').filter({ hasText: 'alice@example.test' });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await app.noteSecrets();
    const progress = app.host.calls('connect');
    expect(progress).toHaveLength(1);
    expect(
      app.host.traffic
        .filter((t) => t.kind === 'event' && t.name === 'connectProgress')
        .map((t) => (JSON.parse(t.json) as { stage: string }).stage),
    ).toEqual(expect.arrayContaining(['waiting-for-consent', 'exchanging', 'done']));

    // The countdown runs on screen.
    const countdown = row.getByTestId('countdown');
    await expect(countdown).toHaveText(/expires in 0:\d\d/);
    const first = secondsLeft(await countdown.innerText());
    // Nothing in the row moves as the seconds change (tabular digits in a reserved width).
    const copyButton = row.getByRole('button', { name: 'Copy token for alice@example.test' });
    const layout = () => Promise.all([countdown.boundingBox(), copyButton.boundingBox()]);
    const layoutBefore = await layout();
    await expect.poll(async () => secondsLeft(await countdown.innerText())).toBeLessThan(first!);
    expect(await layout()).toEqual(layoutBefore);
    await expect(row.getByTestId('status')).toHaveText(/Valid|Expiring soon/);
    await shoot(page, 'accounts', { darkToo: true });

    // Copy: what lands on the clipboard is the live access token, accepted by the provider.
    await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
    await expect(page.getByTestId('toast')).toContainText('Copied');
    const copied = await app.fixture.clipboard.readText();
    expect(copied.length).toBeGreaterThan(20);
    expect(await userinfoStatus(copied)).toBe(200);

    // Copy as an Authorization header through the format menu.
    await row.getByRole('button', { name: 'Copy format for alice@example.test' }).click();
    await page.getByRole('menuitem', { name: 'Authorization header' }).click();
    await expect.poll(() => app.fixture.clipboard.readText()).toMatch(/^Authorization: Bearer /);

    // Near expiry the core refreshes on its own and the countdown starts again from the top.
    const refreshesBefore = oidc.counts.refreshRequests;
    let lowest = secondsLeft(await countdown.innerText()) ?? TOKEN_TTL_S;
    await expect
      .poll(
        async () => {
          const now = secondsLeft(await countdown.innerText());
          if (now === undefined) return false;
          const restarted = now > lowest + 5;
          lowest = Math.min(lowest, now);
          return restarted;
        },
        { timeout: TOKEN_TTL_S * 1000 + 10_000, intervals: [250] },
      )
      .toBe(true);
    expect(oidc.counts.refreshRequests).toBeGreaterThan(refreshesBefore);
    await app.noteSecrets();
    // The old token still works until it expires; the new one is what Copy hands out now.
    await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
    const refreshed = await app.fixture.clipboard.readText();
    expect(refreshed).not.toBe(copied);
    expect(await userinfoStatus(refreshed)).toBe(200);

    // Disconnect, confirmed: the account goes and the provider no longer accepts its token.
    await row.getByRole('button', { name: 'Disconnect alice@example.test' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect alice@example.test?' });
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await expect(page.getByText(/revoked/i).first()).toBeVisible();
    await expect(row).toBeHidden();
    expect(await userinfoStatus(refreshed)).toBe(401);
    expect(await oidc.isAccessTokenActive(refreshed)).toBe(false);

    assertNoSecretReachedThePage(app);
  } finally {
    app.dispose();
  }
});

test('denied consent shows the provider’s answer and changes nothing', async ({
  page,
  browser,
}) => {
  const app = await startApp(page, browser);
  try {
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Add a provider' }).click();
    await addLocalProvider(page);
    await page.getByRole('button', { name: 'Save provider' }).click();
    const storeBefore = app.fixture.core.repo.accounts().length;

    app.script = { login: 'bob', action: 'deny' };
    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /denied/i });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    // oidc-provider's own description of the refusal reaches the user.
    await expect(alert).toContainText(/End-User aborted interaction/i);
    await shoot(page, 'error');
    expect(app.fixture.core.repo.accounts()).toHaveLength(storeBefore);
    await expect(page.getByRole('listitem').filter({ hasText: 'bob' })).toHaveCount(0);
    assertNoSecretReachedThePage(app);
  } finally {
    app.dispose();
  }
});

test('a wrong client secret is named as such, with the provider’s words, and changes nothing', async ({
  page,
  browser,
}) => {
  const app = await startApp(page, browser);
  try {
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Add a provider' }).click();
    await addLocalProvider(page);
    await page
      .getByRole('dialog', { name: 'Add provider' })
      .getByLabel('Client secret', { exact: true })
      .fill('not-the-secret');
    await page.getByRole('button', { name: 'Save provider' }).click();

    // The sign-in itself succeeds; the provider refuses the code exchange.
    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /client/i });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toContainText('check the client ID and secret');
    // oidc-provider's own error code reaches the user too.
    await expect(alert).toContainText(/invalid_client/);
    expect(app.fixture.core.repo.accounts()).toEqual([]);
    await expect(page.getByRole('listitem').filter({ hasText: 'alice' })).toHaveCount(0);
    assertNoSecretReachedThePage(app);
    await expect(page.getByText('not-the-secret')).toHaveCount(0);
  } finally {
    app.dispose();
  }
});

test('a provider that cannot be reached is named, with what happened, and changes nothing', async ({
  page,
  browser,
}) => {
  const app = await startApp(page, browser);
  // A port nothing listens on: the connection is refused at once.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  try {
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Add a provider' }).click();
    await fillLocalProvider(page, `http://127.0.0.1:${port}`);
    await page.getByRole('button', { name: 'Save provider' }).click();

    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Local IdP' });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toContainText(`http://127.0.0.1:${port}`);
    await expect(alert).toContainText(/could not (be )?reach|refused/i);
    expect(app.fixture.core.repo.accounts()).toEqual([]);
  } finally {
    app.dispose();
  }
});

test('a refresh token the provider revoked: "Reconnect needed", and Reconnect brings the same account back', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const app = await startApp(page, browser);
  try {
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Add a provider' }).click();
    await addLocalProvider(page);
    await page.getByRole('button', { name: 'Save provider' }).click();
    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const row = page.getByRole('listitem').filter({ hasText: 'alice@example.test' });
    await expect(row).toBeVisible({ timeout: 30_000 });
    const [account] = app.fixture.core.repo.accounts();
    const secrets = await app.fixture.core.repo.accountSecrets(account!.id);

    // The grant is revoked at the provider (the user removed the app's access there).
    const revoked = await fetch(`${oidc.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        token: secrets!.refreshToken!,
        token_type_hint: 'refresh_token',
      }),
    });
    expect(revoked.status).toBe(200);
    expect(await oidc.isRefreshTokenActive(secrets!.refreshToken!)).toBe(false);

    await row.getByRole('button', { name: 'Refresh alice@example.test' }).click();
    await expect(row.getByTestId('status')).toHaveText('Reconnect needed', { timeout: 15_000 });
    // Nothing is deleted: the account stays listed, with the way back.
    expect(app.fixture.core.repo.accounts()).toHaveLength(1);

    await row.getByRole('button', { name: 'Reconnect alice@example.test' }).click();
    await expect(row.getByTestId('status')).toHaveText(/Valid|Expiring soon/, { timeout: 30_000 });
    await expect(row.getByTestId('countdown')).toHaveText(/expires in/);
    // The same person: the same account, updated, not a second one.
    expect(app.fixture.core.repo.accounts().map((a) => a.id)).toEqual([account!.id]);
    await expect(page.getByRole('listitem').filter({ hasText: 'alice@example.test' })).toHaveCount(
      1,
    );
    await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
    await expect(page.getByTestId('toast')).toContainText('Copied');
    expect(await userinfoStatus(await app.fixture.clipboard.readText())).toBe(200);
  } finally {
    app.dispose();
  }
});

test('invalid form input shows the error beside each field', async ({ page, browser }) => {
  const app = await startApp(page, browser);
  try {
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const form = page.getByRole('dialog', { name: 'Add provider' });
    await form.getByLabel('Provider', { exact: true }).selectOption({ label: 'Custom OAuth 2.0' });
    await form.getByLabel('Client ID', { exact: true }).fill('has a space');
    await form.getByLabel('Authorization endpoint', { exact: true }).fill('ftp://idp.example/auth');
    await form.getByLabel('Token endpoint', { exact: true }).fill('http://idp.example/token');
    await form.getByRole('button', { name: 'Save provider' }).click();

    for (const label of ['Client ID', 'Authorization endpoint', 'Token endpoint']) {
      const field = form.getByLabel(label, { exact: true });
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      const describedBy = await field.getAttribute('aria-describedby');
      expect(describedBy, `${label} names its error`).toBeTruthy();
      await expect(page.locator(`[id="${describedBy!.split(' ')[0]}"]`)).not.toBeEmpty();
    }
    await expect(form.getByLabel('Client ID', { exact: true })).toBeFocused();
    // Nothing was saved.
    expect(app.fixture.core.providers.list()).toHaveLength(0);
  } finally {
    app.dispose();
  }
});

/** The accessible name of the focused element, as a screen reader would announce it. */
const focusedName = (page: Page): Promise<string> =>
  page.evaluate(() => {
    // Runs in the page; the test's tsconfig has no DOM types, so the few used are named here.
    interface Element {
      getAttribute(name: string): string | null;
      textContent: string | null;
      labels?: { textContent: string | null }[];
    }
    const { document } = globalThis as unknown as {
      document: { activeElement: Element | null; getElementById(id: string): Element | null };
    };
    const element = document.activeElement;
    if (!element) return '';
    const byId = element
      .getAttribute('aria-labelledby')
      ?.split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    const label = element.labels?.[0]?.textContent;
    return (
      element.getAttribute('aria-label') ??
      byId ??
      label ??
      element.textContent ??
      ''
    ).trim();
  });

/** Presses Tab until the control named `name` has the focus, as a keyboard user would. */
const tabTo = async (page: Page, name: string | RegExp): Promise<void> => {
  const seen: string[] = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    seen.push(current);
    if (typeof name === 'string' ? current === name : name.test(current)) return;
  }
  throw new Error(`Tab never reached "${String(name)}"; it went through: ${seen.join(' | ')}`);
};

test('the path works from the keyboard alone', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const app = await startApp(page, browser);
  try {
    await page.goto(site.url);
    await expect(page.getByRole('heading', { name: 'Welcome to Tokendesk' })).toBeVisible();

    await tabTo(page, 'Add a provider');
    await page.keyboard.press('Enter');
    const form = page.getByRole('dialog', { name: 'Add provider' });
    await expect(form).toBeVisible();
    // The dialog takes the focus; a <select> is chosen from the keyboard by typing.
    await expect(form.getByLabel('Provider', { exact: true })).toBeFocused();
    await page.keyboard.type('Custom OpenID');
    await expect(form.getByLabel('Issuer URL', { exact: true })).toBeVisible();
    for (const [label, value] of [
      ['Label', 'Local IdP'],
      ['Issuer URL', oidc.issuer],
      ['Client ID', CLIENT_ID],
      ['Client secret', CLIENT_SECRET],
    ] as const) {
      await tabTo(page, label);
      await page.keyboard.type(value);
    }
    await tabTo(page, 'Save provider');
    await page.keyboard.press('Enter');
    await expect(form).toBeHidden();

    await tabTo(page, 'Connect Local IdP');
    await page.keyboard.press('Enter');
    const row = page.getByRole('listitem').filter({ hasText: 'alice@example.test' });
    await expect(row).toBeVisible({ timeout: 30_000 });

    // The copy format menu opens, moves and chooses with the keyboard.
    await tabTo(page, 'Copy format for alice@example.test');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menu')).toBeVisible();
    await expect(page.getByRole('menuitem').first()).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Authorization header' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect.poll(() => app.fixture.clipboard.readText()).toMatch(/^Authorization: Bearer /);

    // Escape closes the disconnect dialog without disconnecting.
    await tabTo(page, 'Disconnect alice@example.test');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Disconnect alice@example.test?' });
    await expect(confirm).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(page.getByRole('button', { name: 'Disconnect alice@example.test' })).toBeFocused();
    await expect(row).toBeVisible();
  } finally {
    app.dispose();
  }
});

/** The renderer never receives a refresh token or a client secret, in any answer or event. */
const assertNoSecretReachedThePage = (app: App): void => {
  expect(app.host.traffic.length).toBeGreaterThan(0);
  const forbidden = [CLIENT_SECRET, ...app.refreshTokens];
  for (const entry of app.host.traffic) {
    for (const secret of forbidden) {
      expect(entry.json.includes(secret), `${entry.kind} ${entry.name} carries a secret`).toBe(
        false,
      );
    }
    expect(entry.json).not.toMatch(/"(refresh_?token|client_?secret)"\s*:/i);
  }
};
