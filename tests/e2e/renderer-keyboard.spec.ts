/**
 * The renderer from the keyboard alone, end to end in real Chromium against oidc-provider
 * (support/journey-app.ts): every control is reached with Tab and used with Enter, arrows and
 * Escape, and focus goes where a keyboard user expects.
 */
import { expect, test } from '@playwright/test';
import { CLIENT_ID, CLIENT_SECRET } from './support/local-idp';
import { setUpJourney } from './support/journey-app';
import { tabTo } from './support/keyboard';

const journey = setUpJourney();
const { startApp } = journey;

test.use({ viewport: { width: 1100, height: 760 } });

test('the path works from the keyboard alone', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const app = await startApp(page, browser);
  try {
    await page.goto(journey.site.url);
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
      ['Issuer URL', journey.oidc.issuer],
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
