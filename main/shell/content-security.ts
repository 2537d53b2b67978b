/**
 * The renderer's Content-Security-Policy as a response header: main/shell/app-protocol.ts sends
 * it with every file of the app's scheme. renderer/index.html carries the same policy in a meta
 * tag; the header is defence in depth: it holds even if the meta tag is lost from the page, and
 * it can say what a meta tag cannot (frame-ancestors). Where both apply, the browser enforces
 * both, so the header must never be looser than the meta tag, and being equal it breaks nothing.
 *
 * The dev server (ELECTRON_RENDERER_URL, http:) does not send it: Vite's hot reload needs what
 * this policy forbids, and the meta tag still applies there.
 */
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
