/**
 * The renderer's files reach the app window through a custom scheme of the app's own
 * (`tokendesk://app/…`, protocol.handle), not through file: (Electron's security checklist, "Use
 * a custom protocol instead of file://"). A file: page shares one opaque origin with every other
 * local file and, with the GrantFileProtocolExtraPrivileges fuse on, may read any of them; Vite's
 * module scripts (`crossorigin`) need that fuse on under file:. Here the page has a real origin of
 * its own, its scripts load same-origin, the fuse is off (electron-builder.yml), and the handler
 * answers only for files under the renderer's build folder.
 *
 * The scheme is registered in the app's default session only: the consent windows (partitions of
 * their own) cannot load the app's page, and nothing registers it with the operating system.
 */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-url';
import { APP_CONTENT_SECURITY_POLICY } from './content-security';

/**
 * Called before the app is ready (Electron refuses it later). `standard` gives the scheme real
 * origins and relative-URL resolution (without it every page is an opaque origin, as under file:,
 * and module scripts fail CORS); `secure` makes it a secure context, like https:. Nothing more:
 * no fetch() from the page, no CORS for other origins, no service workers, no CSP bypass.
 */
export const registerAppScheme = (): void => {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true } },
  ]);
};

/**
 * Content types by extension. Chromium runs a module script only under a JavaScript MIME type,
 * and with `nosniff` anything unknown stays an opaque download, never script or style.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentTypeOf = (file: string): string =>
  CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

/**
 * The file under `root` that `url` names, or undefined when it names none: another scheme, host,
 * port or user; an escape that does not decode; and any path that could leave `root` once decoded
 * (`..` or `.` segments — the URL parser removes literal ones, not `%2e%2e` next to an encoded
 * slash —, empty segments, backslashes, drive letters, NUL). Whether the file exists is the
 * caller's question.
 */
export const resolveAppFile = (root: string, url: string): string | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (
    parsed.protocol !== `${APP_SCHEME}:` ||
    parsed.host !== APP_HOST ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    return undefined;
  }
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  const segments = path.split('/').slice(1);
  if (
    segments.length === 0 ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..') ||
    /[\\:\0]/.test(path)
  ) {
    return undefined;
  }
  const file = join(root, ...segments);
  // Belt and braces: whatever the segments were, the file must be inside root.
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return file;
};

/** Headers of every answer: the app's CSP (frame-ancestors too, which a meta tag cannot say). */
const baseHeaders = (): Record<string, string> => ({
  'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
});

const refusal = (status: 404 | 405, text: string): Response =>
  new Response(text, {
    status,
    headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
  });

/** Answers one request for the app's files in `root` (what the protocol handler runs). */
export const answerAppRequest = async (root: string, request: Request): Promise<Response> => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return refusal(405, 'method not allowed');
  }
  const file = resolveAppFile(root, request.url);
  if (file === undefined) return refusal(404, 'not found');
  let body: Buffer;
  try {
    // Electron's fs reads inside app.asar; a folder or a missing file is not found.
    body = await readFile(file);
  } catch {
    return refusal(404, 'not found');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...baseHeaders(), 'Content-Type': contentTypeOf(file) },
  });
};

/** Serves the files under `root` (out/renderer) on the app's scheme, in the default session. */
export const serveAppFiles = (root: string): void => {
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(root, request));
};
