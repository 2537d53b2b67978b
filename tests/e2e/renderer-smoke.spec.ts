/**
 * Smoke test of the built renderer (out/renderer) in real Chromium, outside Electron: the page
 * loads under its own Content-Security-Policy and renders its heading. Outside the app there is no
 * preload, so window.tokendesk is absent; the page must still render.
 *
 * The bundle is served over http on 127.0.0.1, because Chromium refuses module scripts from
 * file:// pages (Electron's file:// is special, a browser's is not).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const rendererDir = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const serveDirectory = (root: string): Server =>
  createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        const type = contentTypes[extname(file)] ?? 'application/octet-stream';
        response.writeHead(200, { 'content-type': type }).end(body);
      },
      () => response.writeHead(404).end(),
    );
  });

let server: Server;
let baseUrl: string;

test.beforeAll(async () => {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`${rendererDir}index.html is missing: run \`npm run build\` first`);
  }
  server = serveDirectory(rendererDir);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
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

  await page.goto(baseUrl);

  await expect(page.getByRole('heading', { name: /Tokendesk/ }).first()).toBeVisible();
  const csp = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(csp).toHaveCount(1);
  await expect(csp).toHaveAttribute('content', /default-src 'self'/);
  expect(cspViolations).toEqual([]);
});
