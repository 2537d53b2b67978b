/**
 * Exact redirect URI matching (RFC 9700 §4.1.3): the consent window ends an attempt only on the
 * URI the app registered — same scheme, host, port and path once parsed — whatever the query or
 * fragment. Spellings the URL parser (and so Chromium) turns into that same URL match; a
 * lookalike never does.
 */
import { describe, expect, it } from 'vitest';
import { matchesRedirectUri } from '../../../../main/core/consent/redirect-match';

const REDIRECT_URI = 'http://127.0.0.1/callback/oidc';

describe('matchesRedirectUri', () => {
  it.each([
    ['the URI itself', 'http://127.0.0.1/callback/oidc'],
    ['with the code and state', 'http://127.0.0.1/callback/oidc?code=abc&state=xyz'],
    ['with a fragment', 'http://127.0.0.1/callback/oidc#code=abc'],
    ['with an empty query', 'http://127.0.0.1/callback/oidc?'],
    ['the default port written out', 'http://127.0.0.1:80/callback/oidc?code=abc'],
    ['an uppercase scheme and host', 'HTTP://127.0.0.1/callback/oidc'],
    ['dot segments the parser removes', 'http://127.0.0.1/callback/./x/../oidc'],
    ['a backslash, which http URLs read as a slash', 'http://127.0.0.1\\callback\\oidc'],
    ['an empty user info, which the parser drops', 'http://:@127.0.0.1/callback/oidc'],
  ])('matches %s', (_case, candidate) => {
    expect(matchesRedirectUri(candidate, REDIRECT_URI)).toBe(true);
  });

  it.each([
    ['another port', 'http://127.0.0.1:8080/callback/oidc'],
    ['port 443 on http', 'http://127.0.0.1:443/callback/oidc'],
    ['a longer last segment', 'http://127.0.0.1/callback/oidcX'],
    ['a path below it', 'http://127.0.0.1/callback/oidc/extra'],
    ['a trailing slash', 'http://127.0.0.1/callback/oidc/'],
    ['a shorter path', 'http://127.0.0.1/callback'],
    ['another case in the path', 'http://127.0.0.1/Callback/oidc'],
    ['a percent-encoded letter in the path', 'http://127.0.0.1/callback/%6Fidc'],
    ['an encoded slash', 'http://127.0.0.1/callback%2Foidc'],
    ['localhost for 127.0.0.1', 'http://localhost/callback/oidc'],
    ['IPv6 loopback', 'http://[::1]/callback/oidc'],
    ['another loopback address', 'http://127.0.0.2/callback/oidc'],
    ['a domain that starts with the IP', 'http://127.0.0.1.example/callback/oidc'],
    ['a domain that ends with the IP', 'http://evil127.0.0.1/callback/oidc'],
    ['https for http', 'https://127.0.0.1/callback/oidc'],
    ['a user name', 'http://user@127.0.0.1/callback/oidc'],
    ['a user and password', 'http://user:pw@127.0.0.1/callback/oidc'],
    ['a password without a user name', 'http://:pw@127.0.0.1/callback/oidc'],
    ['the URI in the query of another', 'https://evil.example/?r=http://127.0.0.1/callback/oidc'],
    ['a custom scheme', 'tokendesk://127.0.0.1/callback/oidc'],
    ['a file URL with the same path', 'file:///callback/oidc'],
    ['an empty string', ''],
    ['a relative path', '/callback/oidc'],
    ['not a URL', 'not a url'],
    ['a host the parser refuses', 'http://127.0.0.1:99999/callback/oidc'],
  ])('does not match %s', (_case, candidate) => {
    expect(matchesRedirectUri(candidate, REDIRECT_URI)).toBe(false);
  });

  it('compares the host as registered: localhost matches only localhost', () => {
    const localhost = 'http://localhost/callback/microsoft';

    expect(matchesRedirectUri('http://LOCALHOST/callback/microsoft?code=a', localhost)).toBe(true);
    expect(matchesRedirectUri('http://127.0.0.1/callback/microsoft', localhost)).toBe(false);
    expect(matchesRedirectUri('http://localhost./callback/microsoft', localhost)).toBe(false);
    expect(matchesRedirectUri('http://localhost.example/callback/microsoft', localhost)).toBe(
      false,
    );
  });

  it('keeps an explicit port when the registered URI has one (loopback listener)', () => {
    const withPort = 'http://127.0.0.1:49152/callback/oidc';

    expect(matchesRedirectUri('http://127.0.0.1:49152/callback/oidc?code=a', withPort)).toBe(true);
    expect(matchesRedirectUri('http://127.0.0.1/callback/oidc', withPort)).toBe(false);
    expect(matchesRedirectUri('http://127.0.0.1:49153/callback/oidc', withPort)).toBe(false);
  });

  it('matches nothing when the registered URI itself is unparsable', () => {
    expect(matchesRedirectUri(REDIRECT_URI, 'not a url')).toBe(false);
    expect(matchesRedirectUri('', '')).toBe(false);
  });
});
