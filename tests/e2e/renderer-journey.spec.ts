/**
 * The user's path, end to end in real Chromium against oidc-provider (support/journey-app.ts):
 * add a provider, connect, watch the countdown, copy a live token, see it refreshed, disconnect.
 * What the test looks at is what a user sees; what it checks behind it is what the provider says
 * about the tokens. Each main screen is checked for accessibility on the way (support/screens.ts).
 */
import { expect, test } from '@playwright/test';
import { REDIRECT_URI } from './support/local-idp';
import {
  TOKEN_TTL_S,
  assertNoSecretReachedThePage,
  secondsLeft,
  setUpJourney,
} from './support/journey-app';
import { checkAccessibility } from './support/screens';

const journey = setUpJourney();
const { startApp, addLocalProvider, userinfoStatus } = journey;

test.use({ viewport: { width: 1100, height: 760 } });

test('add a provider, connect, copy a live token, see it refreshed, disconnect', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const app = await startApp(page, browser);
  try {
    await page.goto(journey.site.url);

    // First run.
    await expect(page.getByRole('heading', { name: 'Welcome to Tokendesk' })).toBeVisible();
    await checkAccessibility(page, 'empty-state');

    // Add the provider by issuer URL; the exact redirect URI to register is shown and copyable.
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const form = page.getByRole('dialog', { name: 'Add provider' });
    await addLocalProvider(page);
    await expect(form.getByTestId('redirect-uri')).toHaveText(REDIRECT_URI);
    await form.getByRole('button', { name: 'Copy redirect URI' }).click();
    await expect.poll(() => app.fixture.clipboard.readText()).toBe(REDIRECT_URI);
    await checkAccessibility(page, 'provider-form');
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
    await checkAccessibility(page, 'accounts');

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
    const refreshesBefore = journey.oidc.counts.refreshRequests;
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
    expect(journey.oidc.counts.refreshRequests).toBeGreaterThan(refreshesBefore);
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
    expect(await journey.oidc.isAccessTokenActive(refreshed)).toBe(false);

    assertNoSecretReachedThePage(app);
  } finally {
    app.dispose();
  }
});
