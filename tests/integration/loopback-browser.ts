/**
 * A stand-in for the user's own browser in system-browser mode: `openExternal` opens the URL in
 * a new Chromium tab (as `shell.openExternal` hands it to the OS and returns) and acts there as
 * a person would on oidc-provider's development login and consent pages. Unlike the browser
 * consent port, nothing here captures the redirect: the provider sends the tab to the app's
 * loopback listener for real, and the tab ends on whatever that listener answered.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { OpenExternal } from '../../main/core/consent/loopback-consent';

export type BrowserAction =
  /** Log in and approve. */
  | 'approve'
  /** Log in and press Cancel on the consent page: the provider redirects with access_denied. */
  | 'deny'
  /**
   * Sign in through an authorization request whose `state` was replaced (a login-CSRF or an
   * altered link): the provider then redirects to the listener with a real code and that state.
   */
  | 'forge-state'
  /** Open the page and do nothing, as a user who walked away. */
  | 'ignore';

export const FORGED_STATE = 'forged-state-from-the-test-browser';

export interface TabOutcome {
  /** The URL the tab ended on. */
  readonly url: URL;
  /** The HTTP status of that page's response (0 when the tab never got one). */
  readonly status: number;
  /** The visible text of the page. */
  readonly text: string;
}

export interface SystemBrowser {
  readonly openExternal: OpenExternal;
  /** Every URL the app asked to open, as given. */
  readonly opened: readonly string[];
  /**
   * What the next openExternal call will do. With `after`, the tab opens the login page at once
   * but acts only once `after` settles (a user who signs in a moment later).
   */
  setAction(action: BrowserAction, options?: { readonly after?: Promise<unknown> }): void;
  /** Settles when the tab of the most recent openExternal is done (the page it ended on). */
  lastTab(): Promise<TabOutcome>;
  close(): Promise<void>;
}

const PROMPT_FORM = 'form:has(> input[name="prompt"])';
const ERROR_PAGE = 'h1:text-is("oops! something went wrong")';
const CANCEL_LINK = '.login-help a[href$="/abort"]';

const isLoopbackHost = (hostname: string): boolean =>
  hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';

const redirectOf = (authorizationUrl: URL): URL => {
  const value = authorizationUrl.searchParams.get('redirect_uri');
  if (value === null) throw new Error(`no redirect_uri in ${authorizationUrl.href}`);
  return new URL(value);
};

const isAt = (candidate: URL, redirect: URL): boolean =>
  candidate.origin === redirect.origin && candidate.pathname === redirect.pathname;

/** Logs in and approves or denies until the tab reaches the redirect URI. */
const signIn = async (page: Page, redirect: URL, action: BrowserAction): Promise<void> => {
  const handled = new Set<string>();
  const arrived = page
    .waitForURL((url) => isAt(url, redirect), { waitUntil: 'load' })
    .then(() => 'arrived' as const);
  arrived.catch(() => undefined);
  for (let step = 0; step < 6; step += 1) {
    const exclusions = [...handled].map((a) => `:not([action=${JSON.stringify(a)}])`).join('');
    const form = page.locator(`${PROMPT_FORM}${exclusions}`).first();
    const formShown = form.waitFor({ state: 'attached' }).then(() => 'form' as const);
    const errorShown = page
      .locator(ERROR_PAGE)
      .waitFor({ state: 'attached' })
      .then(() => 'error' as const);
    formShown.catch(() => undefined);
    errorShown.catch(() => undefined);
    const next = await Promise.race([arrived, formShown, errorShown]);
    if (next === 'arrived') return;
    if (next === 'error') {
      const text = await page.locator('body').innerText();
      throw new Error(`the provider showed an error page at ${page.url()}: ${text}`);
    }
    handled.add((await form.getAttribute('action')) ?? '');
    const prompt = await form.locator('input[name="prompt"]').getAttribute('value');
    if (prompt === 'login') {
      await form.locator('input[name="login"]').fill('loopback-user');
      await form.locator('input[name="password"]').fill('any-password');
      await form.locator('button[type="submit"]').click();
    } else if (prompt === 'consent') {
      if (action === 'deny') await page.locator(CANCEL_LINK).click();
      else await form.locator('button[type="submit"]').click();
    } else {
      throw new Error(`unexpected interaction prompt ${String(prompt)} at ${page.url()}`);
    }
  }
  await arrived;
};

export const createSystemBrowser = (browser: Browser): SystemBrowser => {
  const opened: string[] = [];
  const contexts: BrowserContext[] = [];
  let action: BrowserAction = 'approve';
  let actAfter: Promise<unknown> | undefined;
  let last: Promise<TabOutcome> | undefined;

  const runTab = async (
    context: BrowserContext,
    url: string,
    act: BrowserAction,
    after: Promise<unknown> | undefined,
  ) => {
    const authorizationUrl = new URL(url);
    const redirect = redirectOf(authorizationUrl);
    if (act === 'forge-state') authorizationUrl.searchParams.set('state', FORGED_STATE);
    // The dev pages import a web font from the internet, which these machines cannot reach.
    await context.route('**/*', async (route) => {
      if (isLoopbackHost(new URL(route.request().url()).hostname)) await route.continue();
      else await route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    let status = 0;
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && isAt(new URL(response.url()), redirect))
        status = response.status();
    });
    await page.goto(authorizationUrl.href);
    if (act === 'ignore') return new Promise<TabOutcome>(() => undefined);
    await after;
    await signIn(page, redirect, act);
    return { url: new URL(page.url()), status, text: await page.locator('body').innerText() };
  };

  return {
    opened,
    openExternal: async (url) => {
      // A fresh profile per sign-in: no provider session left over from an earlier test.
      const context = browser.newContext().then((created) => {
        contexts.push(created);
        return created;
      });
      const [act, after] = [action, actAfter];
      // Set with `opened`, so a test that saw the URL can ask for the tab at once.
      opened.push(url);
      last = context.then((created) => runTab(created, url, act, after));
      // shell.openExternal resolves once the OS has the URL, long before the user signs in.
      last.catch(() => undefined);
      await context;
    },
    setAction: (next, options = {}) => {
      action = next;
      actAfter = options.after;
    },
    lastTab: () => last ?? Promise.reject(new Error('openExternal was never called')),
    close: async () => {
      await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
    },
  };
};
