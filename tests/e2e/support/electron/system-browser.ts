/**
 * The user's browser, for the real-Electron specs of system-browser consent. On Linux,
 * `shell.openExternal` runs `xdg-open <url>` found on the app's PATH (Electron's
 * platform_util_linux.cc, XDGOpen; checked on the pinned runtime: a script named xdg-open first
 * on PATH receives the URL). A fake one there writes the URL to a file instead of starting the
 * desktop's browser; the spec reads it and opens it in Playwright-driven Chromium, which plays
 * the default browser.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import { launchChromium } from '../../../support/chromium';

export interface FakeBrowserOpener {
  /** For launchTokendesk's `env`: PATH with the fake xdg-open first. */
  readonly env: Readonly<Record<string, string>>;
  /** Every URL the app asked the desktop to open, in order. */
  readonly openedUrls: () => string[];
  /** Waits until the app has asked to open more than `seen` URLs, and returns the next one. */
  readonly nextUrl: (seen: number) => Promise<URL>;
  readonly remove: () => void;
}

export const installFakeBrowserOpener = (): FakeBrowserOpener => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-xdg-open-'));
  const log = join(dir, 'opened-urls');
  writeFileSync(log, '');
  const script = join(dir, 'xdg-open');
  // mkdtemp's name has no quote in it, so single quotes keep the path one word for sh.
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
  chmodSync(script, 0o755);

  const openedUrls = (): string[] => readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return {
    env: { PATH: [dir, process.env.PATH ?? ''].join(delimiter) },
    openedUrls,
    nextUrl: async (seen) => {
      await expect
        .poll(() => openedUrls().length, {
          message: 'the app asked the desktop to open a URL (xdg-open)',
          timeout: 30_000,
        })
        .toBeGreaterThan(seen);
      return new URL(openedUrls()[seen] ?? '');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};

export interface TestBrowser {
  /** Opens `url` in a new tab, as the desktop's browser would. */
  readonly open: (url: URL) => Promise<Page>;
  readonly close: () => Promise<void>;
}

export const startTestBrowser = async (): Promise<TestBrowser> => {
  const browser: Browser = await launchChromium();
  return {
    open: async (url) => {
      const context = await browser.newContext();
      // oidc-provider's pages import a web font from the internet, which these machines lack;
      // everything the flow needs (provider and the app's listener) is on 127.0.0.1.
      await context.route('**/*', (route) =>
        new URL(route.request().url()).hostname === '127.0.0.1'
          ? route.continue()
          : route.abort('blockedbyclient'),
      );
      const page = await context.newPage();
      await page.goto(url.href);
      return page;
    },
    close: () => browser.close(),
  };
};
