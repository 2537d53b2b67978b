/**
 * Smoke test of the built renderer (out/renderer) in real Chromium, outside Electron: the page
 * loads under its own Content-Security-Policy and renders its heading. Outside the app there is no
 * preload, so window.tokendesk is absent; the page must still render.
 */
import { expect, test } from '@playwright/test';
import { serveRenderer, type StaticServer } from './support/static-server';

let server: StaticServer;

test.beforeAll(async () => {
  server = await serveRenderer();
});

test.afterAll(async () => {
  await server.close();
});

test('the built renderer renders its heading under its CSP', async ({ page }) => {
  // No internet here, and the page must need none: only the local server is reachable.
  await page.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  );
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    // "Refused to load/execute/apply ... because it violates the following Content Security Policy"
    if (/Refused to .*Content Security Policy/.test(message.text()))
      cspViolations.push(message.text());
  });

  await page.goto(server.url);

  await expect(page.getByRole('heading', { name: /Tokendesk/ }).first()).toBeVisible();
  const csp = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(csp).toHaveCount(1);
  await expect(csp).toHaveAttribute('content', /default-src 'self'/);
  expect(cspViolations).toEqual([]);
});
