/**
 * An app window reached over CDP (Playwright's connectOverCDP on the DevTools URL the app
 * printed), and the moment it was first painted on screen.
 *
 * "Painted on screen" is the page's first-contentful-paint entry. In Electron a window created
 * with show: false still renders (paintWhenInitiallyHidden), and document.visibilityState is
 * "visible" before show(); but Chromium records first-contentful-paint only for a frame that is
 * presented, that is after show(). Measured on Electron 33: a hidden window had no entry two
 * seconds after ready-to-show, and the entry appeared 50 ms after show(). So the entry says the
 * window is up and painted, and its time (performance.timeOrigin + startTime, ms since the epoch)
 * says when.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export interface AttachedWindow {
  readonly browser: Browser;
  readonly page: Page;
}

export interface AttachOptions {
  /** Which page is the window wanted; default: the first on Tokendesk's own scheme (app-protocol.ts). */
  readonly isWindow?: (url: string) => boolean;
  readonly timeoutMs?: number;
}

const POLL_MS = 100;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const attachToWindow = async (
  devtoolsUrl: string,
  {
    isWindow = (url) => url.startsWith('tokendesk://app/'),
    timeoutMs = 30_000,
  }: AttachOptions = {},
): Promise<AttachedWindow> => {
  const browser = await chromium.connectOverCDP(devtoolsUrl, { timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  // Polled with a bound: the window's page target may appear, or navigate to its URL, after the
  // connection is made.
  for (;;) {
    const page = browser
      .contexts()
      .flatMap((context) => context.pages())
      .find((candidate) => isWindow(candidate.url()));
    if (page) return { browser, page };
    if (Date.now() > deadline) {
      const seen = browser.contexts().flatMap((context) => context.pages().map((p) => p.url()));
      await browser.close();
      throw new Error(`no app window within ${timeoutMs / 1000} s; pages: ${seen.join(', ')}`);
    }
    await pause(POLL_MS);
  }
};

/** ms since the epoch of the window's first presented paint, once there has been one. */
export const firstPaintAt = (page: Page): Promise<number | undefined> =>
  page.evaluate(() => {
    const [paint] = performance.getEntriesByName('first-contentful-paint');
    return paint ? performance.timeOrigin + paint.startTime : undefined;
  });

/** Waits (bounded) until the window has been shown and painted; answers when that was. */
export const waitForFirstPaint = async (page: Page, timeoutMs = 30_000): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = await firstPaintAt(page);
    if (at !== undefined) return at;
    if (Date.now() > deadline) {
      throw new Error(`the window was not painted on screen within ${timeoutMs / 1000} s`);
    }
    await pause(POLL_MS);
  }
};
