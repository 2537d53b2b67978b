/**
 * The user's side of a sign-in with a code (RFC 8628) on oidc-provider, as a person does it in a
 * browser on another device: open the verification page, type the code, confirm it (or abort),
 * log in on the development login page and approve the consent page. Real Chromium, so cookies,
 * the pages' xsrf fields and redirects are the server's own.
 */
import type { Browser, Page } from 'playwright-core';

export type DeviceUserAction = 'approve' | 'abort';

const isLoopbackHost = (hostname: string): boolean =>
  hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';

const PROMPT_FORM = 'form:has(> input[name="prompt"])';
const SUCCESS = 'h1:text-is("Sign-in Success")';

/** Logs in and consents until oidc-provider shows its success page. */
const finishInteractions = async (page: Page, login: string): Promise<void> => {
  const handled = new Set<string>();
  for (let step = 0; step < 6; step += 1) {
    const form = page.locator(
      `${PROMPT_FORM}${[...handled].map((a) => `:not([action=${JSON.stringify(a)}])`).join('')}`,
    );
    const next = await Promise.race([
      page
        .locator(SUCCESS)
        .waitFor()
        .then(() => 'done' as const),
      form
        .first()
        .waitFor()
        .then(() => 'form' as const),
    ]);
    if (next === 'done') return;
    const current = form.first();
    handled.add((await current.getAttribute('action')) ?? '');
    const prompt = await current.locator('input[name="prompt"]').getAttribute('value');
    if (prompt === 'login') {
      await current.locator('input[name="login"]').fill(login);
      await current.locator('input[name="password"]').fill('any-password');
    }
    await current.locator('button[type="submit"]').click();
  }
  throw new Error(`no success page after the interactions; page at ${page.url()}`);
};

/**
 * Types `userCode` at `verificationUri` and acts as `login`. Resolves once the server has taken
 * the answer (its success page, or the aborted page).
 */
export const actAsDeviceUser = async (
  browser: Browser,
  verificationUri: string,
  userCode: string,
  login: string,
  action: DeviceUserAction = 'approve',
  timeoutMs = 20_000,
): Promise<void> => {
  const context = await browser.newContext();
  try {
    // The pages import a web font from the internet; these machines have none.
    await context.route('**/*', (route) =>
      isLoopbackHost(new URL(route.request().url()).hostname)
        ? route.continue()
        : route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    await page.goto(verificationUri);
    await page.locator('input[name="user_code"]').fill(userCode);
    await page.locator('button[type="submit"][form="op.deviceInputForm"]').click();
    // The confirmation page: the code again, Continue, and "[ Abort ]".
    if (action === 'abort') {
      await page.locator('button[name="abort"]').click();
      await page.locator('text=interrupted').waitFor();
      return;
    }
    await page.locator('button[autofocus][form="op.deviceConfirmForm"]').click();
    await finishInteractions(page, login);
  } finally {
    await context.close();
  }
};
