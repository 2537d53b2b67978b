/**
 * The masking applied to provider-written text before it enters an error message or trace: the
 * exact secrets the request sent, however short, and anything shaped like a token. Ordinary
 * provider words (error codes, AADSTS numbers, sentences) pass unchanged.
 */
import { describe, expect, it } from 'vitest';
import { maskProviderText, maskSentSecrets, REDACTED } from '../../../main/core/redaction';

const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLWJ5dGVz';

describe('maskProviderText', () => {
  it('masks the secrets the request sent, even short ones no shape rule would catch', () => {
    expect(maskProviderText('Invalid refresh token: rt-1', ['rt-1'])).toBe(
      `Invalid refresh token: ${REDACTED}`,
    );
  });

  it('masks a sent secret quoted URL- or form-encoded', () => {
    const secret = 'a b/c+d';
    expect(maskSentSecrets('got a%20b%2Fc%2Bd and a+b%2Fc%2Bd', [secret])).toBe(
      `got ${REDACTED} and ${REDACTED}`,
    );
  });

  it('masks the longer of two secrets whole when one contains the other', () => {
    expect(maskSentSecrets('token rt-1-rotated', ['rt-1', 'rt-1-rotated'])).toBe(
      `token ${REDACTED}`,
    );
  });

  it('ignores missing and empty secrets instead of masking everything', () => {
    expect(maskProviderText('invalid_grant: expired', [undefined, ''])).toBe(
      'invalid_grant: expired',
    );
  });

  it.each([
    ['a JWT', JWT],
    [
      'a GitHub refresh token',
      'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
    ],
    ['a GitHub user token', 'ghu_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['a GitLab token', 'glpat-xxxxxxxxxxxxxxxxxxxx'],
    ['a UUID used as a token (Spring Security OAuth)', '1f0c6a4e-8b7d-4c2a-9e3f-5a6b7c8d9e0f'],
    ['a long opaque run', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-'],
  ])('masks %s the app did not know about', (_label, token) => {
    const masked = maskProviderText(`Invalid refresh token: ${token}`);
    expect(masked).toBe(`Invalid refresh token: ${REDACTED}`);
  });

  it('masks credentials after an auth scheme and secret-named parameters and members', () => {
    expect(maskProviderText('header was Bearer abc.def')).toBe(`header was Bearer ${REDACTED}`);
    expect(maskProviderText('body: grant_type=refresh_token&refresh_token=rt-9')).toBe(
      `body: grant_type=refresh_token&refresh_token=${REDACTED}`,
    );
    expect(maskProviderText('body {"code_verifier": "v-1", "error_code": "E1"}')).toBe(
      `body {"code_verifier": "${REDACTED}", "error_code": "E1"}`,
    );
  });

  it('masks a secret the provider quotes as a Python dict, a header, a colon label or base64', () => {
    expect(
      maskProviderText(
        "invalid_request: unexpected body {'client_secret': 'cs-1', 'grant_type': 'x'}",
      ),
    ).toBe(`invalid_request: unexpected body {'client_secret': '${REDACTED}', 'grant_type': 'x'}`);
    expect(maskProviderText('invalid_client: got Authorization: Token 9944b091')).toBe(
      `invalid_client: got Authorization: Token ${REDACTED}`,
    );
    expect(maskProviderText('invalid_grant: Invalid refresh token: rt-1')).toBe(
      `invalid_grant: Invalid refresh token: ${REDACTED}`,
    );
    expect(
      maskProviderText('invalid_grant: q1Wv8+Kx3mZr9TbY2LpN/7hF4dGs6JcA0eUo5iRn+Qw= is revoked'),
    ).toBe(`invalid_grant: ${REDACTED} is revoked`);
  });

  it('leaves ordinary provider words alone', () => {
    for (const text of [
      'invalid_grant: The refresh token passed is incorrect or expired.',
      'AADSTS54005: OAuth2 Authorization code was already redeemed.',
      'bad_verification_code: The code passed is incorrect or expired.',
      'invalid_client: client authentication failed',
      // An error code with a secret word in it, then the provider's sentence.
      'invalid_token: The access token expired',
      'authorization_pending: The user has not yet approved the request.',
    ]) {
      expect(maskProviderText(text)).toBe(text);
    }
  });
});
