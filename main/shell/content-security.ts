/**
 * The renderer's Content-Security-Policy, sent as a response header on the app window's session
 * for the packaged files (file: URLs). renderer/index.html carries the same policy in a meta tag;
 * the header is defence in depth: it holds even if the meta tag is lost from the page, and it can
 * say what a meta tag cannot (frame-ancestors). Where both apply, the browser enforces both, so
 * the header must never be looser than the meta tag, and being equal it breaks nothing.
 *
 * The dev server (ELECTRON_RENDERER_URL, http:) is left alone: Vite's hot reload needs what this
 * policy forbids, and the meta tag still applies there.
 */
import type { Session } from 'electron';

export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const isFileUrl = (url: string): boolean => {
  try {
    return new URL(url).protocol === 'file:';
  } catch {
    return false;
  }
};

/**
 * Adds the policy to every file: response in `session`, replacing any policy header already there.
 * (A session has one onHeadersReceived listener; this one is it for the app's session.)
 */
export const enforceContentSecurityPolicy = (
  session: Session,
  policy: string = APP_CONTENT_SECURITY_POLICY,
): void => {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isFileUrl(details.url)) {
      callback({});
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
};
