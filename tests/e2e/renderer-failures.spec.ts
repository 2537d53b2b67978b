/**
 * What goes wrong, end to end in real Chromium against oidc-provider (support/journey-app.ts):
 * each failure is shown in plain words, with the provider's own where it gave any, and changes
 * nothing it should not.
 */
import { expect, test, type Locator } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLIENT_ID, CLIENT_SECRET } from './support/local-idp';
import { assertNoSecretReachedThePage, setUpJourney } from './support/journey-app';
import { checkAccessibility } from './support/screens';

/** The alert's paragraph that says `text`: its message, not the collapsed Details. */
const visibleSentence = (alert: Locator, text: string | RegExp): Locator =>
  alert.getByRole('paragraph').filter({ hasText: text });

const journey = setUpJourney();
const { startApp, openWithLocalProvider, userinfoStatus } = journey;

test.use({ viewport: { width: 1100, height: 760 } });

test('denied consent shows the provider’s answer and changes nothing', async ({
  page,
  browser,
}) => {
  const app = await startApp(page, browser);
  try {
    await openWithLocalProvider(page);
    const storeBefore = app.fixture.parts.repo.accounts().length;

    app.script = { login: 'bob', action: 'deny' };
    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /denied/i });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    // oidc-provider's own description of the refusal reaches the user, in the message itself
    // (the alert also holds it in its collapsed Details, which a user does not see).
    await expect(visibleSentence(alert, /End-User aborted interaction/i)).toBeVisible();
    await checkAccessibility(page, 'error');
    expect(app.fixture.parts.repo.accounts()).toHaveLength(storeBefore);
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
    await openWithLocalProvider(page, { clientSecret: 'not-the-secret' });

    // The sign-in itself succeeds; the provider refuses the code exchange.
    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /client/i });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(visibleSentence(alert, 'check the client ID and secret')).toBeVisible();
    // oidc-provider's own error code reaches the user too.
    await expect(visibleSentence(alert, /invalid_client/)).toBeVisible();
    expect(app.fixture.parts.repo.accounts()).toEqual([]);
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
    await openWithLocalProvider(page, { issuer: `http://127.0.0.1:${port}` });

    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Local IdP' });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(visibleSentence(alert, `http://127.0.0.1:${port}`)).toBeVisible();
    await expect(visibleSentence(alert, /could not (be )?reach|refused/i)).toBeVisible();
    expect(app.fixture.parts.repo.accounts()).toEqual([]);
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
    await openWithLocalProvider(page);
    await page.getByRole('button', { name: 'Connect Local IdP' }).click();
    const row = page.getByRole('listitem').filter({ hasText: 'alice@example.test' });
    await expect(row).toBeVisible({ timeout: 30_000 });
    const [account] = app.fixture.parts.repo.accounts();
    const secrets = await app.fixture.parts.repo.accountSecrets(account!.id);

    // The grant is revoked at the provider (the user removed the app's access there).
    const revoked = await fetch(`${journey.oidc.issuer}/token/revocation`, {
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
    expect(await journey.oidc.isRefreshTokenActive(secrets!.refreshToken!)).toBe(false);

    await row.getByRole('button', { name: 'Refresh alice@example.test' }).click();
    await expect(row.getByTestId('status')).toHaveText('Reconnect needed', { timeout: 15_000 });
    // Nothing is deleted: the account stays listed, with the way back.
    expect(app.fixture.parts.repo.accounts()).toHaveLength(1);

    await row.getByRole('button', { name: 'Reconnect alice@example.test' }).click();
    await expect(row.getByTestId('status')).toHaveText(/Valid|Expiring soon/, { timeout: 30_000 });
    await expect(row.getByTestId('countdown')).toHaveText(/expires in/);
    // The same person: the same account, updated, not a second one.
    expect(app.fixture.parts.repo.accounts().map((a) => a.id)).toEqual([account!.id]);
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
    await page.goto(journey.site.url);
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
    expect(app.fixture.parts.directory.list()).toHaveLength(0);
  } finally {
    app.dispose();
  }
});
