/**
 * A ConsentPort that shows the authorization page in real Chromium and acts as a user would on
 * oidc-provider's development login and consent pages. It stands in for the app's consent window
 * (embedded mode) and for the user's browser (system-browser mode): in both, what the core gets
 * back is the callback URL the provider redirected to.
 *
 * The redirect is captured from the page's `request` event: `page.route()` does not see the hop
 * after the provider's 303 (docs/TESTING.md), and nothing needs to listen on the callback port.
 * Scripted misbehaviour (deny, close, tampered state or iss, hang) lets tests reach the core's
 * error paths through a real browser.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  ConsentAborted,
  type ConsentPort,
  type ConsentRequest,
  type ConsentSession,
} from '../../main/core/ports';
import { isRedirectTo, redirectUriFor } from './redirect-uri';

export type ConsentAction = 'approve' | 'deny' | 'close' | 'tamper-state' | 'tamper-iss' | 'hang';

export interface ConsentScript {
  /** Typed into the login page; oidc-provider's test server makes it the account ID (`sub`). */
  readonly login: string;
  /** Default 'approve'. 'hang' leaves the login page open until the session is aborted. */
  readonly action?: ConsentAction;
}

export interface BrowserConsentOptions {
  /** How long a non-hanging script may take before authorize() fails with diagnostics. */
  readonly timeoutMs?: number;
}

export interface BrowserConsentPort extends ConsentPort {
  /** The last authorization URL the core asked to show (to assert its parameters). */
  readonly lastAuthorizationUrl: URL | undefined;
  readonly authorizationUrls: readonly URL[];
  /** Every consent request the core began, in order. */
  readonly requests: readonly ConsentRequest[];
  /** Sessions begun and not yet closed: a non-zero count after a test is a leaked window. */
  readonly openSessions: number;
}

export const TAMPERED_STATE = 'tampered-state-by-test';
export const EVIL_ISSUER = 'https://evil.example';

// oidc-provider's dev interaction views: a form with a hidden `prompt` input (login|consent),
// and a "[ Cancel ]" link to /interaction/:uid/abort that ends in error=access_denied.
const PROMPT_FORM = 'form:has(> input[name="prompt"])';
const ERROR_PAGE = 'h1:text-is("oops! something went wrong")';
const CANCEL_LINK = '.login-help a[href$="/abort"]';

const isLoopbackHost = (hostname: string): boolean =>
  hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';

const tamper = (callback: URL, action: ConsentAction): URL => {
  const out = new URL(callback.href);
  if (action === 'tamper-state') out.searchParams.set('state', TAMPERED_STATE);
  if (action === 'tamper-iss') out.searchParams.set('iss', EVIL_ISSUER);
  return out;
};

type Outcome = { readonly callback: URL } | { readonly error: Error };

/** Drives one authorization in one fresh browser context. */
const runAuthorization = async (
  context: BrowserContext,
  authorizationUrl: URL,
  redirectUri: URL,
  script: ConsentScript,
  signal: AbortSignal,
  timeoutMs: number,
  registerCancel: (cancel: (error: Error) => void) => void,
): Promise<URL> => {
  const action = script.action ?? 'approve';
  let settled = false;
  let settle: (outcome: Outcome) => void = () => {};
  const outcome = new Promise<Outcome>((resolve) => {
    settle = (value) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
  });
  const captured = outcome.then(() => null);

  // A redirect URI off this computer (a token backend's registered web one) must not even be
  // requested, as the app's window catches it before it loads: the router does not see a
  // redirect's next hop, so the provider's answers are fetched here and a redirect there is
  // taken from its Location and never followed.
  const webRedirect = !isLoopbackHost(redirectUri.hostname);
  // Another belt: requests the router does see (a callback loaded as a subresource, for one).
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (isRedirectTo(url, redirectUri)) {
      settle({ callback: url });
      await route.abort();
      return;
    }
    // The dev pages import a web font from the internet; these machines have none.
    if (!isLoopbackHost(url.hostname)) {
      await route.abort('blockedbyclient');
      return;
    }
    if (!webRedirect) {
      await route.continue();
      return;
    }
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers().location;
    const target = location === undefined ? undefined : new URL(location, url);
    if (response.status() < 300 || response.status() >= 400 || target === undefined) {
      await route.fulfill({ response });
    } else if (isRedirectTo(target, redirectUri)) {
      settle({ callback: target });
      await route.abort();
    } else {
      // A hop within the provider: its next request must come back through this router, which
      // a fulfilled redirect's would not, so the page goes on by a navigation of its own (the
      // hop's cookies with it).
      const cookies = response
        .headersArray()
        .filter((header) => header.name.toLowerCase() === 'set-cookie')
        .map((header) => header.value);
      await route.fulfill({
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          // Playwright's one header for several cookies: one per line.
          ...(cookies.length > 0 ? { 'set-cookie': cookies.join('\n') } : {}),
        },
        body: `<!doctype html><script>location.replace(${JSON.stringify(target.href)})</script>`,
      });
    }
  });

  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (isRedirectTo(url, redirectUri)) settle({ callback: url });
  });
  // The user closed the window (or the 'close' script did).
  page.on('close', () => settle({ error: new ConsentAborted('closed') }));

  const onAbort = () => settle({ error: new ConsentAborted('cancelled') });
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  registerCancel((error) => settle({ error }));

  const timer =
    action === 'hang'
      ? undefined
      : setTimeout(() => {
          settle({
            error: new Error(
              `browser consent (${action}) did not reach ${redirectUri.href} within ${timeoutMs} ms; ` +
                `page was at ${page.isClosed() ? '(closed)' : page.url()}`,
            ),
          });
        }, timeoutMs);

  const drive = async (): Promise<void> => {
    // The navigation ends at the callback, which nothing serves: goto may reject (aborted or
    // refused) even though the flow succeeded; the outcome comes from the request event.
    await page.goto(authorizationUrl.href).catch(() => undefined);
    if (action === 'hang') return;
    const handled = new Set<string>();
    for (let step = 0; step < 6 && !settled; step += 1) {
      const form = await nextPromptForm(page, handled, captured);
      if (form === null || settled) return;
      const formAction = (await form.getAttribute('action')) ?? '';
      handled.add(formAction);
      const prompt = await form.locator('input[name="prompt"]').getAttribute('value');
      if (prompt === 'login') {
        if (action === 'close') {
          await page.close();
          return;
        }
        await form.locator('input[name="login"]').fill(script.login);
        await form.locator('input[name="password"]').fill('any-password');
        await form.locator('button[type="submit"]').click();
      } else if (prompt === 'consent') {
        if (action === 'close') {
          await page.close();
          return;
        }
        if (action === 'deny') await page.locator(CANCEL_LINK).click();
        else await form.locator('button[type="submit"]').click();
      } else {
        throw new Error(`unexpected interaction prompt ${String(prompt)} at ${page.url()}`);
      }
    }
  };
  drive().catch((error: unknown) => {
    // Errors after the outcome are the page being torn down under a pending wait.
    settle({ error: error instanceof Error ? error : new Error(String(error)) });
  });

  const result = await outcome;
  if (timer !== undefined) clearTimeout(timer);
  signal.removeEventListener('abort', onAbort);
  if ('error' in result) throw result.error;
  return action === 'tamper-state' || action === 'tamper-iss'
    ? tamper(result.callback, action)
    : result.callback;
};

/**
 * Waits for the next interaction form not yet acted on, or for the redirect. Each interaction
 * has its own uid in the form action, which tells the consent page from the login page we just
 * submitted while the browser is still navigating.
 */
const nextPromptForm = async (
  page: Page,
  handled: ReadonlySet<string>,
  captured: Promise<null>,
): Promise<Locator | null> => {
  const exclusions = [...handled]
    .map((action) => `:not([action=${JSON.stringify(action)}])`)
    .join('');
  const form = page.locator(`${PROMPT_FORM}${exclusions}`).first();
  const errorPage = page.locator(ERROR_PAGE);
  const formReady = form.waitFor({ state: 'attached' }).then(
    () => form,
    () => null,
  );
  const errorShown = errorPage.waitFor({ state: 'attached' }).then(
    async () => {
      const text = await page
        .locator('body')
        .innerText()
        .catch(() => '(unreadable)');
      throw new Error(
        `authorization server error page at ${page.url()}: ${text.replace(/\s+/g, ' ').trim()}`,
      );
    },
    () => new Promise<null>(() => {}),
  );
  return Promise.race([formReady, errorShown, captured]);
};

export const createBrowserConsentPort = (
  browser: Browser,
  script: ConsentScript | (() => ConsentScript),
  options: BrowserConsentOptions = {},
): BrowserConsentPort => {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const authorizationUrls: URL[] = [];
  const requests: ConsentRequest[] = [];
  let openSessions = 0;

  const begin = async (request: ConsentRequest): Promise<ConsentSession> => {
    requests.push(request);
    // A function script is read per connect, so one port can log in as different users.
    const scriptNow = typeof script === 'function' ? script() : script;
    const redirectUri = await redirectUriFor(request);
    openSessions += 1;
    let closed = false;
    let context: BrowserContext | undefined;
    let cancelPending: ((error: Error) => void) | undefined;

    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      openSessions -= 1;
      cancelPending?.(new ConsentAborted('closed'));
      await context?.close().catch(() => undefined);
    };

    const authorize = async (authorizationUrl: URL): Promise<URL> => {
      authorizationUrls.push(authorizationUrl);
      if (request.signal.aborted) throw new ConsentAborted('cancelled');
      if (closed) throw new ConsentAborted('closed');
      // A new context per attempt: no cookies from an earlier connect, so the login page shows.
      await context?.close().catch(() => undefined);
      const fresh = await browser.newContext();
      context = fresh;
      if (closed) {
        await fresh.close().catch(() => undefined);
        throw new ConsentAborted('closed');
      }
      try {
        return await runAuthorization(
          fresh,
          authorizationUrl,
          new URL(redirectUri),
          scriptNow,
          request.signal,
          timeoutMs,
          (cancel) => {
            cancelPending = cancel;
          },
        );
      } finally {
        cancelPending = undefined;
        // The app's window goes away once the redirect is captured; so does ours.
        await fresh.close().catch(() => undefined);
      }
    };

    return { redirectUri, authorize, close };
  };

  return {
    begin,
    get lastAuthorizationUrl() {
      return authorizationUrls.at(-1);
    },
    authorizationUrls,
    requests,
    get openSessions() {
      return openSessions;
    },
  };
};
