/**
 * The one set of masking rules (main/core/redaction.ts) on the spellings a secret takes in text:
 * `name: value` lines, Python-style dicts, an `Authorization` header of any scheme, standard
 * base64, dotted tokens, short codes where their name says what they are. Each case is written
 * as text that reaches a log line or an error message, and each masks the whole secret; what a
 * user needs to read (error codes, sentences, paths, URLs, versions) stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { maskTokenShapes, REDACTED } from '../../../main/core/redaction';

// Made-up values in realistic shapes: none is a live credential.
/** Standard base64 (33 random bytes) with `+` and `/`: no run between them reaches 32. */
const BASE64 = 'SbH+LSku3AUhPkA6njI6GdZhBA/IxstroAa4O9coiff2';
/** Standard base64 with padding, its runs split by `+` and `/`. */
const BASE64_PADDED = 'q1Wv8+Kx3mZr9TbY2LpN/7hF4dGs6JcA0eUo5iRn+Qw=';
/** A JWT cut before its signature (a log that shortens long values does this). */
const JWT_PREFIX =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJlbWFpbCI6ImFuYUBleGFtcGxlLnRlc3QifQ';
/** A JWT whose header has a space after `{`, so it does not start with `eyJ`. */
const JWT_SPACED = `ewogImFsZyI6ICJSUzI1NiIKfQ.eyJzdWIiOiJ1c2VyLTEifQ.${'c2lnbmF0dXJlLWJ5dGVz'.repeat(2)}`;
/** A token of three dotted random parts, none of them 32 characters long. */
const DOTTED_SHORT_PARTS = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';
/** Google's access tokens: a short prefix, a dot, a long opaque run. */
const GOOGLE = 'ya29.a0AfB_byC9xZyXwVuTsRqPoNmLkJiHgFeDcBa0123456789-_aBcDeFgHiJkLmNoP';

const R = REDACTED;

describe('maskTokenShapes: secret-named values in any of their spellings', () => {
  it.each([
    ['a `password: x` line', 'password: hunter2', `password: ${R}`],
    ['a `refresh_token: x` line', 'refresh_token: rt-1', `refresh_token: ${R}`],
    ['an ini-style `client_secret = x`', 'client_secret = cs-1', `client_secret = ${R}`],
    [
      'a Python dict (single quotes)',
      "{'refresh_token': 'rt-1', 'expires_in': 3600}",
      `{'refresh_token': '${R}', 'expires_in': 3600}`,
    ],
    [
      'a Python dict with a space in the value',
      "{'password': 'correct horse'}",
      `{'password': '${R}'}`,
    ],
    [
      'the refused token after a colon (Spring Security OAuth)',
      'invalid_grant: Invalid refresh token: rt-1',
      `invalid_grant: Invalid refresh token: ${R}`,
    ],
  ])('masks %s', (_case, text, masked) => {
    expect(maskTokenShapes(text)).toBe(masked);
  });
});

describe('maskTokenShapes: an Authorization header, whatever its scheme', () => {
  it.each([
    ['Token', 'Authorization: Token 9944b09199c62bcf', `Authorization: Token ${R}`],
    ['token (GitHub)', 'authorization: token 9944b091', `authorization: token ${R}`],
    ['DPoP', 'Authorization: DPoP at-1', `Authorization: DPoP ${R}`],
    ['no scheme at all', 'Authorization: at-1', `Authorization: ${R}`],
    ['a proxy', 'Proxy-Authorization: Token pt-1', `Proxy-Authorization: Token ${R}`],
  ])('masks the credential after %s', (_scheme, text, masked) => {
    expect(maskTokenShapes(text)).toBe(masked);
  });
});

describe('maskTokenShapes: token shapes the rules used to cut short', () => {
  it.each([
    ['standard base64 with + and /', BASE64],
    ['standard base64 with padding', BASE64_PADDED],
    ["a JWT's header and payload without the signature", JWT_PREFIX],
    ['a JWT whose header does not start with eyJ', JWT_SPACED],
    ['a dotted token whose parts are all short', DOTTED_SHORT_PARTS],
    ['a prefixed dotted token (Google), prefix included', GOOGLE],
  ])('masks %s whole', (_case, token) => {
    expect(maskTokenShapes(`refresh failed for ${token}, retrying`)).toBe(
      `refresh failed for ${R}, retrying`,
    );
    expect(maskTokenShapes(`"${token}"`)).toBe(`"${R}"`);
  });

  it('keeps the full stop after a token at the end of a sentence', () => {
    expect(maskTokenShapes(`The provider refused ${BASE64}.`)).toBe(`The provider refused ${R}.`);
    expect(maskTokenShapes(`The provider refused ${JWT_PREFIX}.`)).toBe(
      `The provider refused ${R}.`,
    );
  });
});

describe('maskTokenShapes: short codes where their name says what they are', () => {
  it.each([
    ['`code: x`', 'code: abc123', `code: ${R}`],
    [
      '`code=x` in a URL',
      'http://127.0.0.1/cb?code=abc123&state=s-1',
      `http://127.0.0.1/cb?code=${R}&state=s-1`,
    ],
    ['`"code": "x"` in JSON', '{"code": "abc123"}', `{"code": "${R}"}`],
    ["`'code': 'x'` in a Python dict", "{'code': 'abc123'}", `{'code': '${R}'}`],
    ['a device flow user_code', 'user_code: WDJB-MJHT', `user_code: ${R}`],
    ['a device flow device_code', "{'device_code': 'GmRhmhcx'}", `{'device_code': '${R}'}`],
    [
      'a code inside a percent-encoded redirect URL',
      'redirect=http%3A%2F%2F127.0.0.1%2Fcb%3Fcode%3Dabc123%26state%3Ds-1',
      `redirect=http%3A%2F%2F127.0.0.1%2Fcb%3Fcode%3D${R}%26state%3Ds-1`,
    ],
  ])('masks %s', (_case, text, masked) => {
    expect(maskTokenShapes(text)).toBe(masked);
  });
});

describe('maskTokenShapes: what stays readable', () => {
  it.each([
    // OAuth error codes that contain a secret word, followed by the provider's description.
    'invalid_token: The access token expired',
    'bad_verification_code: The code passed is incorrect or expired.',
    'authorization_pending: The user has not yet approved the request.',
    'expired_token: The device_code has expired.',
    'unsupported_token_type: revocation of refresh tokens is not supported',
    // A status code in words and in a JSON error body (Google's API errors).
    'status code: 503',
    'error code: 401',
    '{"error": {"code": 401, "message": "Request had invalid authentication credentials.", "status": "UNAUTHENTICATED"}}',
    // Paths, URLs, file names, versions, host names.
    "ENOENT: no such file or directory, open '/home/ana/.config/Tokendesk/tokendesk.json'",
    '/home/ana/.config/Tokendesk/tokendesk.json.corrupt-2025-01-02T03-04-05.006Z',
    'https://gitlab.example.com/api/v4/projects/123/repository/files',
    'http://127.0.0.1:49152/callback/github-work',
    'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=tokendesk&state=s-1',
    'Electron 33.2.1, Node 20.18.1, Chromium 130.0.6723.137',
    'accounts.hT3x9Qb_2kLm8NpR4sVw1Z.status',
    // Sentences that merely mention a token or an authorization.
    'AADSTS54005: OAuth2 Authorization code was already redeemed.',
    'the token endpoint answered HTTP 503: try again later',
  ])('%s', (text) => {
    expect(maskTokenShapes(text)).toBe(text);
  });
});

describe('maskTokenShapes: safe to apply twice, and fast on a large answer', () => {
  it('changes nothing when masking text it already masked (an error message logged)', () => {
    for (const text of [
      "{'refresh_token': 'rt-1'} password: x Authorization: Token t-1",
      `${BASE64} ${JWT_PREFIX}. code=abc&state=s user_code: WDJB-MJHT`,
      'redirect=http%3A%2F%2F127.0.0.1%2Fcb%3Fcode%3Dabc123%26state%3Ds-1',
    ]) {
      const once = maskTokenShapes(text);
      expect(maskTokenShapes(once)).toBe(once);
    }
  });

  it('masks a 128 KiB run of token characters in linear time', () => {
    // A provider's error body may be up to the 1 MiB cap. The `name=value` rule used to rescan a
    // run with no `=` from each of its characters: about 30 s for this one, minutes for 1 MiB.
    const run = 'a'.repeat(128 * 1024);
    const started = performance.now();
    expect(maskTokenShapes(`said ${run}`)).toBe(`said ${REDACTED}`);
    // A generous bound (the rule takes milliseconds), far below the quadratic time.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
