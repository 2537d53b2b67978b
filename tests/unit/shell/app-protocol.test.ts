/**
 * The app's own scheme (main/shell/app-protocol.ts): registered privileged before the app is
 * ready, with only what a page needs; it answers the renderer's files with their content types
 * and the app's CSP, and nothing outside the renderer's folder, however the path is spelled.
 * In real Electron: tests/e2e/electron/window-hardening.spec.ts and ipc-gate.spec.ts, and the
 * packaged app (fuse off) in tests/e2e/packaged/packaged-window.spec.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerAppScheme, resolveAppFile, serveAppFiles } from '../../../main/shell/app-protocol';
import { APP_PAGE_URL } from '../../../main/shell/app-url';
import { APP_CONTENT_SECURITY_POLICY } from '../../../main/shell/content-security';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

const SECRET = 'a file outside the renderer folder';

let work: string;
/** out/renderer of a build: the page, a script, a stylesheet, an icon, a file of no known type. */
let root: string;
/** Files beside and above the renderer folder that must never be served. */
let outside: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tokendesk-app-protocol-'));
  root = join(work, 'out', 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Tokendesk</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'icon.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'notes.xyz'), 'data');
  outside = [join(work, 'secret.txt'), join(work, 'out', 'secret.txt')];
  mkdirSync(join(work, 'out', 'renderer-evil'));
  outside.push(join(work, 'out', 'renderer-evil', 'index.html'));
  for (const file of outside) writeFileSync(file, SECRET);
  serveAppFiles(root);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const get = (url: string, init?: RequestInit): Promise<Response> =>
  electron.protocol.request(url, init);

describe('registerAppScheme', () => {
  it('makes tokendesk: a standard, secure scheme, and gives it nothing more', () => {
    registerAppScheme();

    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      { scheme: 'tokendesk', privileges: { standard: true, secure: true } },
    ]);
    expect(APP_PAGE_URL).toBe('tokendesk://app/index.html');
  });
});

describe('the files it serves', () => {
  it.each([
    [APP_PAGE_URL, 'text/html; charset=utf-8', '<!doctype html><title>Tokendesk</title>'],
    ['tokendesk://app/assets/index-abc.js', 'text/javascript; charset=utf-8', 'export {};'],
    ['tokendesk://app/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['tokendesk://app/assets/icon.svg', 'image/svg+xml', '<svg/>'],
    ['tokendesk://app/assets/notes.xyz', 'application/octet-stream', 'data'],
    [`${APP_PAGE_URL}?view=tray#/accounts`, 'text/html; charset=utf-8', '<!doctype html>'],
  ])('%s: 200, %s', async (url, type, body) => {
    const response = await get(url);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(await response.text()).toContain(body);
  });

  it('sends the app’s CSP (frame-ancestors included) and nosniff with every answer', async () => {
    for (const url of [APP_PAGE_URL, 'tokendesk://app/assets/index-abc.js', 'tokendesk://app/x']) {
      const response = await get(url);
      expect(response.headers.get('content-security-policy'), url).toBe(
        APP_CONTENT_SECURITY_POLICY,
      );
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
    }
  });

  it('answers HEAD without a body, and any other method with 405', async () => {
    const head = await get(APP_PAGE_URL, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      expect((await get(APP_PAGE_URL, { method })).status, method).toBe(405);
    }
  });

  it.each([
    ['a file that is not there', 'tokendesk://app/missing.js'],
    ['a folder', 'tokendesk://app/assets'],
    ['the folder itself', 'tokendesk://app/'],
    ['a folder with a trailing slash', 'tokendesk://app/assets/'],
  ])('answers 404 for %s', async (_case, url) => {
    expect((await get(url)).status).toBe(404);
  });
});

describe('nothing outside the renderer folder', () => {
  /** Every spelling of a way out, as a URL string (not all survive the URL parser as written). */
  const escapes = (): [string, string][] => [
    ['..', 'tokendesk://app/../secret.txt'],
    ['../..', 'tokendesk://app/../../secret.txt'],
    ['.. under a folder', 'tokendesk://app/assets/../../secret.txt'],
    ['%2e%2e', 'tokendesk://app/%2e%2e/secret.txt'],
    ['%2E%2E', 'tokendesk://app/%2E%2E/%2E%2E/secret.txt'],
    ['.%2e', 'tokendesk://app/.%2e/.%2e/secret.txt'],
    ['.. with an encoded slash', 'tokendesk://app/assets/..%2f..%2fsecret.txt'],
    ['%2e%2e with encoded slashes', 'tokendesk://app/%2e%2e%2f%2e%2e%2fsecret.txt'],
    ['.. with an encoded backslash', 'tokendesk://app/..%5c..%5csecret.txt'],
    ['.. with a backslash', 'tokendesk://app/..\\..\\secret.txt'],
    ['a sibling folder', 'tokendesk://app/../renderer-evil/index.html'],
    ['an absolute path (empty segment)', 'tokendesk://app//etc/passwd'],
    ['an absolute path after an encoded slash', 'tokendesk://app/%2Fetc%2Fpasswd'],
    ['a drive letter', 'tokendesk://app/C:/Windows/win.ini'],
    ['an encoded drive letter', 'tokendesk://app/C%3A%5CWindows%5Cwin.ini'],
    ['a NUL byte', 'tokendesk://app/index.html%00.js'],
    ['a malformed escape', 'tokendesk://app/%E0%A4%A'],
    ['another host', 'tokendesk://evil/index.html'],
    ['the host with a port', 'tokendesk://app:80/index.html'],
    ['user info', 'tokendesk://user:pass@app/index.html'],
    ['another scheme', 'file:///etc/passwd'],
  ];

  it.each(escapes())('resolves nothing outside the folder for %s', (_case, url) => {
    // A literal `..` is gone once parsed (the URL parser drops it as a browser would): what is
    // left may name a file inside the folder, which is then simply not there.
    const file = resolveAppFile(root, url);
    if (file !== undefined) expect(relative(root, file)).not.toMatch(/^\.\.|^\//);
    if (file !== undefined) expect(outside).not.toContain(file);
  });

  // (A Request cannot carry user info: Chromium hands the handler none either.)
  it.each(escapes().filter(([, url]) => url.startsWith('tokendesk:') && !url.includes('@')))(
    'answers 404 for %s, and never the file’s content',
    async (_case, url) => {
      const response = await get(url);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(SECRET);
    },
  );

  it('serves no file named by its absolute path, encoded', async () => {
    for (const file of outside) {
      const url = `tokendesk://app/${encodeURIComponent(file)}`;
      expect(resolveAppFile(root, url), url).toBeUndefined();
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('resolves the app’s own files to paths inside the folder', () => {
    expect(resolveAppFile(root, APP_PAGE_URL)).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'tokendesk://app/assets/index-abc.js')).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
    // An escape that decodes to a plain name is that name.
    expect(resolveAppFile(root, 'tokendesk://app/%69ndex.html')).toBe(join(root, 'index.html'));
  });
});
