/**
 * What the embedded consent window may load. It has no address bar and no padlock, so the user
 * cannot see where a page came from or whether it was sent in the clear: Tokendesk decides for
 * them. Pages (the first URL and every navigation and redirect after it) must be `https:`, or
 * plain `http:` on this computer (127.0.0.1, localhost, [::1]), where local identity providers
 * and the tests run — the same rule as for endpoints (shared/url-rules.ts). A page's own
 * requests may also be `wss:` (or `ws:` on this computer), `data:` and `blob:`.
 *
 * The discovered `authorization_endpoint` reaches the window without passing the form's URL
 * rules, so the window applies this rule to it too.
 */
import { isLoopbackHost } from '../../../shared/url-rules';
import { CoreFailure } from '../core-failure';

/** A page: the first URL, a navigation or redirect of the window or of a frame in it. */
const PAGE_SCHEMES = new Set(['https:']);
/** A page's own requests (scripts, images, fetches, WebSockets). */
const RESOURCE_SCHEMES = new Set(['https:', 'wss:', 'data:', 'blob:']);
/** Allowed on this computer only. */
const LOOPBACK_SCHEMES = new Set(['http:', 'ws:']);

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};

/** Whether the consent window may load `url` as a page (`page`) or a page's request. */
export const mayLoadInConsentWindow = (url: string, kind: 'page' | 'resource'): boolean => {
  const parsed = parse(url);
  if (parsed === undefined) return false;
  if ((kind === 'page' ? PAGE_SCHEMES : RESOURCE_SCHEMES).has(parsed.protocol)) return true;
  return (
    LOOPBACK_SCHEMES.has(parsed.protocol) &&
    (kind === 'resource' || parsed.protocol === 'http:') &&
    isLoopbackHost(parsed.hostname)
  );
};

/**
 * Where a URL points, for a message or a log: scheme, host and port only. The path and query
 * of an authorization URL (state, code challenge, nonce) are nobody's business.
 */
export const originOf = (url: string): string => {
  const parsed = parse(url);
  if (parsed === undefined) return 'an address that cannot be read';
  return parsed.host === '' ? parsed.protocol : `${parsed.protocol}//${parsed.host}`;
};

const RULE = 'Tokendesk shows sign-in pages only over https (plain http only on this computer).';

/** The attempt's error when the provider's sign-in page itself is not allowed. */
export const refusedSignInPage = (url: string): CoreFailure =>
  new CoreFailure(
    'consentUnavailable',
    `Tokendesk did not open the sign-in page at ${originOf(url)}: ${RULE}`,
    { traces: [`authorization endpoint ${originOf(url)}`] },
  );

/** The attempt's error when a sign-in page went on to a page that is not allowed. */
export const refusedNextPage = (url: string): CoreFailure =>
  new CoreFailure(
    'consentUnavailable',
    `Tokendesk stopped the sign-in: the page tried to go to ${originOf(url)}. ${RULE}`,
    { traces: [`navigation to ${originOf(url)}`] },
  );
