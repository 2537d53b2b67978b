/**
 * The app's logger never writes a secret (docs SECURITY.md "Logs never contain tokens, codes,
 * verifiers or secrets"): fields named like a secret are dropped whatever their value, token
 * shapes are masked wherever they appear in a string — nested fields and error messages included
 * — and what a user or a developer needs from a log line stays readable.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createConsoleLogger, redact } from '../../../main/shell/redacting-logger';

// Realistic shapes, made up: none of these is a live credential.
const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLWJ5dGVz-_x';
const UNSIGNED_JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.';
const GITHUB = {
  ghp: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  gho: 'gho_16C7e42F292c6912E7710c838347Ae178B4a',
  ghu: 'ghu_16C7e42F292c6912E7710c838347Ae178B4a',
  ghs: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
  ghr: 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
  fineGrained: 'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU',
  short: 'ghp_abc123',
};
const GITLAB = {
  pat: 'glpat-z_sxgtrfAxKr8q1TPY8Y',
  routable: 'glpat-Zx9yW8vU7tS6rQ5pO4nM.01.0k1a2b3c4',
  deploy: 'gldt-Qh9dKz3LmN8pR2sT5vW7',
  runner: 'glrt-t1_AbCdEfGhIjKlMnOpQrSt',
  oauthSecret: 'gloas-0123456789abcdef0123456789abcdef',
  instancePrefix: 'ACME-glpat-z_sxgtrfAxKr8q1TPY8Y',
};
// Google's access tokens: a short prefix, then a long opaque run.
const GOOGLE = 'ya29.a0AfB_byC9xZyXwVuTsRqPoNmLkJiHgFeDcBa0123456789-_aBcDeFgHiJkLmNoP';
const OPAQUE = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8';
const OPAQUE_WITH_DASHES = '-Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0-';

/** Every string in `value`, however deep. */
const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.values(value).flatMap(strings)
      : [];

describe('redact: fields named like a secret', () => {
  it.each([
    'token',
    'accessToken',
    'access_token',
    'refresh_token',
    'idToken',
    'subjectToken',
    'secret',
    'client_secret',
    'clientSecret',
    'code',
    'authCode',
    'code_verifier',
    'codeVerifier',
    'verifier',
    'password',
    'Authorization',
    'authorization',
    'cookie',
    'Set-Cookie',
    'apiKey',
    'api_key',
    'privateKey',
    'client_assertion',
    'credentials',
  ])('drops %s, whatever its value', (name) => {
    for (const value of ['short', 42, { nested: 'x' }, ['a'], null]) {
      expect(redact({ [name]: value })).toEqual({ [name]: '[redacted]' });
    }
  });

  it('drops them at any depth', () => {
    expect(
      redact({ request: { headers: { Authorization: 'abc' }, body: [{ refresh_token: 'r' }] } }),
    ).toEqual({
      request: {
        headers: { Authorization: '[redacted]' },
        body: [{ refresh_token: '[redacted]' }],
      },
    });
  });
});

describe('redact: token shapes inside strings', () => {
  const shapes: readonly (readonly [string, string])[] = [
    ['a JWT', JWT],
    ['an unsigned JWT (alg none)', UNSIGNED_JWT],
    ...Object.entries(GITHUB).map(([kind, token]) => [`a GitHub ${kind} token`, token] as const),
    ...Object.entries(GITLAB).map(([kind, token]) => [`a GitLab ${kind} token`, token] as const),
    ['a long opaque string', OPAQUE],
    ['a long opaque string with leading and trailing dashes', OPAQUE_WITH_DASHES],
  ];

  it.each(shapes)('masks %s', (_case, token) => {
    const fields = redact({ message: `refresh failed for ${token}, retrying`, detail: token });

    for (const text of strings(fields)) {
      expect(text).toContain('[redacted]');
      // No piece of the secret longer than a few characters survives.
      for (let start = 0; start + 12 <= token.length; start += 4) {
        expect(text).not.toContain(token.slice(start, start + 12));
      }
    }
    expect(fields.message).toMatch(/^refresh failed for .*\[redacted\].*, retrying$/);
  });

  it('masks the opaque part of a prefixed token', () => {
    const { reason } = redact({ reason: `provider said ${GOOGLE}` });
    expect(reason).not.toContain(GOOGLE.slice(12, 40));
    expect(reason).toMatch(/^provider said /);
  });

  it('masks the credential after Bearer or Basic, however short', () => {
    expect(redact({ header: 'Authorization: Bearer at-1' })).toEqual({
      header: 'Authorization: Bearer [redacted]',
    });
    expect(redact({ header: 'basic dXNlcjpwYXNz' })).toEqual({ header: 'basic [redacted]' });
  });

  it('keeps a WWW-Authenticate challenge readable', () => {
    expect(redact({ header: 'Bearer error="invalid_token", realm="api"' })).toEqual({
      header: 'Bearer error="invalid_token", realm="api"',
    });
  });

  it('masks secret parameters of a URL or form body, however short', () => {
    expect(
      redact({
        reason:
          "ERR_ABORTED (-3) loading 'http://127.0.0.1/callback/oidc?code=c-1&state=s-1&iss=https%3A%2F%2Fid.example'",
        body: 'grant_type=refresh_token&refresh_token=rt-1&client_secret=cs-1&code_verifier=v-1',
      }),
    ).toEqual({
      reason:
        "ERR_ABORTED (-3) loading 'http://127.0.0.1/callback/oidc?code=[redacted]&state=s-1&iss=https%3A%2F%2Fid.example'",
      body: 'grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]&code_verifier=[redacted]',
    });
  });

  it('masks secret members of a JSON body quoted in a message', () => {
    const { message } = redact({
      message:
        'unexpected answer: {"access_token": "at-1", "token_type":"bearer", "expires_in":3600, "error":"none"}',
    });
    expect(message).toBe(
      'unexpected answer: {"access_token": "[redacted]", "token_type":"[redacted]", "expires_in":3600, "error":"none"}',
    );
  });

  it('redacts an Error to its name and masked message', () => {
    const error = new Error(`refresh failed: refresh_token=rt-1 ${JWT}`);
    expect(redact({ error })).toEqual({
      error: { name: 'Error', message: 'refresh failed: refresh_token=[redacted] [redacted]' },
    });
  });

  it('masks a URL object like its text', () => {
    expect(redact({ url: new URL('http://127.0.0.1/callback?code=c-1&state=s') })).toEqual({
      url: 'http://127.0.0.1/callback?code=[redacted]&state=s',
    });
  });
});

describe('redact: what stays readable', () => {
  it('keeps ordinary fields as they are', () => {
    const fields = {
      channel: 'copyToken',
      providerId: 'github-work',
      accountId: 'hT3x9Qb_2kLm8NpR4sVw1Z',
      status: 'revoked',
      revocation: 'unsupported',
      message: 'the provider did not answer in time',
      reason: 'ERR_NAME_NOT_RESOLVED (-105)',
      attempts: 3,
      retryAt: 1_700_000_000_000,
      persistent: false,
      nothing: null,
      movedTo: '/home/ana/.config/Tokendesk/tokendesk.json.corrupt-2025-01-02T03-04-05.006Z',
      url: 'https://id.example.test/authorize?client_id=tokendesk&state=s-1&scope=openid+profile',
    };

    expect(redact(fields)).toEqual(fields);
  });

  it('keeps status and error codes, while any other *code* field is still dropped', () => {
    const fields = {
      statusCode: 502,
      errorCode: 'invalid_grant',
      exit_code: 1,
      httpStatusCode: 500,
    };
    expect(redact(fields)).toEqual(fields);
    expect(redact({ code: 'abc', deviceCode: 'x', auth_code: 'y', codeVerifier: 'z' })).toEqual({
      code: '[redacted]',
      deviceCode: '[redacted]',
      auth_code: '[redacted]',
      codeVerifier: '[redacted]',
    });
    // A status code's value is still masked if it looks like a token.
    expect(redact({ errorCode: 'x'.repeat(40) })).toEqual({ errorCode: '[redacted]' });
  });

  it('keeps short identifiers and words that merely contain a prefix', () => {
    const fields = { note: 'ghost gloss global-settings glow ghp github eyJ short-id-123' };
    expect(redact(fields)).toEqual(fields);
  });

  it('answers an empty object for no fields', () => {
    expect(redact()).toEqual({});
    expect(redact({})).toEqual({});
  });

  it('stops at a depth logs never need, instead of following a cycle', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;

    expect(() => redact({ cyclic })).not.toThrow();
    expect(JSON.stringify(redact({ cyclic }))).toContain('[nested]');
  });
});

describe('createConsoleLogger', () => {
  let info: MockInstance<typeof console.info>;
  let warn: MockInstance<typeof console.warn>;
  let error: MockInstance<typeof console.error>;

  beforeEach(() => {
    info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes each level to its console method, prefixed, with redacted fields', () => {
    const logger = createConsoleLogger();

    logger.info('refreshed', { accountId: 'a-1', accessToken: 'at-1' });
    logger.warn('tray copy failed', { accountId: 'a-1', error: `bad ${GITLAB.pat}` });
    logger.error('store write failed', { message: `EACCES ${JWT}`, client_secret: 'cs' });

    expect(info).toHaveBeenCalledExactlyOnceWith('[tokendesk] refreshed', {
      accountId: 'a-1',
      accessToken: '[redacted]',
    });
    expect(warn).toHaveBeenCalledExactlyOnceWith('[tokendesk] tray copy failed', {
      accountId: 'a-1',
      error: 'bad [redacted]',
    });
    expect(error).toHaveBeenCalledExactlyOnceWith('[tokendesk] store write failed', {
      message: 'EACCES [redacted]',
      client_secret: '[redacted]',
    });
  });

  it('logs a message without fields with an empty object', () => {
    createConsoleLogger().info('started');

    expect(info).toHaveBeenCalledExactlyOnceWith('[tokendesk] started', {});
  });

  it('masks a token in the message itself', () => {
    createConsoleLogger().warn(`copy failed for ${GITHUB.ghp}`);

    expect(warn).toHaveBeenCalledExactlyOnceWith('[tokendesk] copy failed for [redacted]', {});
  });

  it('never passes a secret to the console, whatever the level', () => {
    const logger = createConsoleLogger();
    const secrets = [JWT, GITHUB.gho, GITLAB.pat, OPAQUE, 'rt-short-1'];

    for (const level of ['info', 'warn', 'error'] as const) {
      logger[level](`saw ${secrets[0]}`, {
        refreshToken: secrets[4],
        detail: { text: `${secrets[1]} and ${secrets[2]}`, list: [secrets[3]] },
      });
    }

    const written = JSON.stringify([info.mock.calls, warn.mock.calls, error.mock.calls]);
    for (const secret of secrets) expect(written).not.toContain(secret);
  });

  it('masks secrets in the spellings a quoted body or header takes, and keeps the rest', () => {
    // A Python server's repr, a header line, standard base64, a JWT cut before its signature,
    // a device-flow code: each in a string field, as an error's text would bring them.
    const base64 = 'q1Wv8+Kx3mZr9TbY2LpN/7hF4dGs6JcA0eUo5iRn+Qw=';
    const jwtPrefix = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ';
    createConsoleLogger().error('token request failed', {
      reason: `answer {'refresh_token': 'rt-1', 'expires_in': 3600}`,
      header: 'Authorization: Token 9944b091',
      sent: `password: hunter2, ciphertext ${base64}`,
      detail: { claims: jwtPrefix, device: 'user_code: WDJB-MJHT' },
    });

    expect(error).toHaveBeenCalledExactlyOnceWith('[tokendesk] token request failed', {
      reason: "answer {'refresh_token': '[redacted]', 'expires_in': 3600}",
      header: 'Authorization: Token [redacted]',
      sent: 'password: [redacted], ciphertext [redacted]',
      detail: { claims: '[redacted]', device: 'user_code: [redacted]' },
    });
  });
});
