/**
 * Whether a URL the consent window is about to load is the redirect the app is waiting for.
 * Exact on scheme, host, port and path, compared on parsed URLs (never string prefixes): a
 * lookalike — another port, a longer path, `127.0.0.1.example`, `https:` for `http:`, user info —
 * is not the redirect and is left to load like any other page.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3 (exact redirect URI matching)
 */
export const matchesRedirectUri = (candidate: string, redirectUri: string): boolean => {
  let url: URL;
  let expected: URL;
  try {
    url = new URL(candidate);
    expected = new URL(redirectUri);
  } catch {
    return false;
  }
  return (
    url.protocol === expected.protocol &&
    url.username === '' &&
    url.password === '' &&
    url.hostname === expected.hostname &&
    // URL normalizes default ports to '', so `http://127.0.0.1:80/x` equals `http://127.0.0.1/x`.
    url.port === expected.port &&
    url.pathname === expected.pathname
  );
};
