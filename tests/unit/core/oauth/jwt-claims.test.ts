/**
 * The JWT decoder of token inspection: a compact JWS gives its header and claims and never its
 * signature; an encrypted token (JWE) and an opaque one say so; anything with a JWT's shape that
 * does not decode is "not a JWT", and says why; a huge or deeply nested token is refused
 * without a crash. Nothing is verified: the decoder reads, it does not trust.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeJwt,
  MAX_DECODED_CHARS,
  MAX_JSON_DEPTH,
  summarizeClaims,
  withoutSecrets,
} from '../../../../main/core/oauth/jwt-claims';
import { createRs256Signer } from '../../../support/rs256-signer';

const b64 = (text: string): string => Buffer.from(text).toString('base64url');
const part = (value: unknown): string => b64(JSON.stringify(value));
const SIGNATURE = b64('not really a signature, but the shape of one');
const jwt = (header: unknown, claims: unknown, signature = SIGNATURE): string =>
  `${part(header)}.${part(claims)}.${signature}`;

const problemOf = (token: string): string | undefined => {
  const decoded = decodeJwt(token);
  if (decoded.kind !== 'opaque') throw new Error(`decoded as ${decoded.kind}`);
  return decoded.problem;
};

describe('a compact JWT', () => {
  it('gives its header and claims, and nothing of its signature', () => {
    const signer = createRs256Signer();
    const claims = { iss: 'https://idp.example', sub: 'user-1', aud: 'api', iat: 1_700_000_000 };
    const token = signer.sign(claims);
    const decoded = decodeJwt(token);
    expect(decoded).toEqual({
      kind: 'jwt',
      header: { alg: 'RS256', kid: signer.kid, typ: 'JWT' },
      claims,
    });
    const signature = token.split('.')[2]!;
    expect(JSON.stringify(decoded)).not.toContain(signature);
  });

  it('decodes whatever the signature, and an unsecured one (alg "none", no signature)', () => {
    expect(decodeJwt(jwt({ alg: 'HS256' }, { sub: 'a' }, 'forged')).kind).toBe('jwt');
    expect(decodeJwt(jwt({ alg: 'none' }, { sub: 'a' }, ''))).toMatchObject({
      kind: 'jwt',
      claims: { sub: 'a' },
    });
  });

  it('keeps claims in any language and of any JSON type', () => {
    const claims = {
      name: 'Zoë 漢字',
      groups: ['a', 'b'],
      extra: { n: 1.5, ok: true, none: null },
    };
    expect(decodeJwt(jwt({ alg: 'RS256' }, claims))).toMatchObject({ kind: 'jwt', claims });
  });

  it('keeps a claim named __proto__ as a claim', () => {
    const token = `${part({ alg: 'RS256' })}.${b64('{"__proto__":{"polluted":1},"sub":"x"}')}.${SIGNATURE}`;
    const decoded = decodeJwt(token);
    if (decoded.kind !== 'jwt') throw new Error('not decoded');
    expect(Object.keys(decoded.claims)).toEqual(['__proto__', 'sub']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('what is not a JWT', () => {
  it('calls a token without dots opaque, with no problem to report', () => {
    expect(decodeJwt('gho_16C7e42F292c6912E7710c838347Ae178B4a')).toEqual({ kind: 'opaque' });
  });

  it("calls Google's one-dot access tokens opaque, with no problem to report", () => {
    expect(decodeJwt('ya29.a0AfB_byC-abcdefghijklmnopqrstuvwxyz')).toEqual({ kind: 'opaque' });
  });

  it('reads an encrypted token’s (JWE) header and says its claims cannot be read', () => {
    const header = { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'k1' };
    const token = [part(header), b64('key'), b64('iv'), b64('ciphertext'), b64('tag')].join('.');
    const decoded = decodeJwt(token);
    expect(decoded).toMatchObject({ kind: 'opaque', header });
    expect(problemOf(token)).toMatch(/^encrypted \(JWE\): its claims can be read only/);
  });

  it.each([
    [
      'a payload that is not base64url',
      `${part({ alg: 'RS256' })}.%%%%.${SIGNATURE}`,
      'the payload is not base64url',
    ],
    [
      'a header that is not JSON',
      `${b64('hello')}.${part({ sub: 'a' })}.${SIGNATURE}`,
      'the header is not JSON',
    ],
    [
      'a payload that is not JSON',
      `${part({ alg: 'RS256' })}.${b64('just text')}.${SIGNATURE}`,
      'the payload is not JSON',
    ],
    [
      'an array payload',
      `${part({ alg: 'RS256' })}.${part(['a', 'b'])}.${SIGNATURE}`,
      'the payload is an array, not a JSON object',
    ],
    [
      'a string payload',
      `${part({ alg: 'RS256' })}.${part('claims')}.${SIGNATURE}`,
      'the payload is a string, not a JSON object',
    ],
    [
      'a null header',
      `${part(null)}.${part({ sub: 'a' })}.${SIGNATURE}`,
      'the header is null, not a JSON object',
    ],
    [
      'a header without alg',
      `${part({ typ: 'JWT' })}.${part({ sub: 'a' })}.${SIGNATURE}`,
      'the header names no "alg"',
    ],
    ['an empty payload', `${part({ alg: 'RS256' })}..${SIGNATURE}`, 'the payload is empty'],
    [
      'a payload that is not UTF-8',
      `${part({ alg: 'RS256' })}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${SIGNATURE}`,
      'the payload is not UTF-8 text',
    ],
    [
      'a signature that is not base64url',
      `${part({ alg: 'RS256' })}.${part({ sub: 'a' })}.sig=nature`,
      'the signature is not base64url',
    ],
    [
      'a JOSE header with four parts',
      `${part({ alg: 'RS256' })}.${part({ sub: 'a' })}.${SIGNATURE}.more`,
      'it has 4 parts separated by dots, not 3',
    ],
    [
      'a JOSE header with two parts',
      `${part({ alg: 'RS256' })}.${part({ sub: 'a' })}`,
      'it has 2 parts separated by dots, not 3',
    ],
    [
      'five parts whose header names no enc',
      [part({ alg: 'RS256' }), 'a', 'b', 'c', 'd'].join('.'),
      'it has 5 parts, as an encrypted token (JWE) does, but its header names no "enc"',
    ],
  ])('shows %s as not a JWT, saying why', (_name, token, reason) => {
    expect(problemOf(token)).toBe(`not a JWT: ${reason}`);
  });

  it('never answers the signature of a token it could not decode', () => {
    const token = `${part({ alg: 'RS256' })}.${part([1])}.${SIGNATURE}`;
    expect(JSON.stringify(decodeJwt(token))).not.toContain(SIGNATURE);
  });

  it('refuses a huge token at once, saying how large it is', () => {
    const claims = { sub: 'a', padding: 'x'.repeat(MAX_DECODED_CHARS) };
    const token = jwt({ alg: 'RS256' }, claims);
    const started = performance.now();
    expect(problemOf(token)).toMatch(/^not decoded: the token is \d+ KiB, more than the 256 KiB/);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('decodes a large token below the limit', () => {
    const groups = Array.from({ length: 2000 }, (_, i) => `group-${i}`);
    const decoded = decodeJwt(jwt({ alg: 'RS256' }, { sub: 'a', groups }));
    expect(decoded).toMatchObject({ kind: 'jwt', claims: { groups } });
  });

  it('refuses claims that nest deeper than the window can show, without a stack overflow', () => {
    const deep = `${'['.repeat(60_000)}${']'.repeat(60_000)}`;
    const token = `${part({ alg: 'RS256' })}.${b64(`{"a":${deep}}`)}.${SIGNATURE}`;
    expect(token.length).toBeLessThan(MAX_DECODED_CHARS);
    expect(problemOf(token)).toBe(
      `not a JWT: the payload nests deeper than ${MAX_JSON_DEPTH} levels`,
    );
  });
});

describe('the summary of the claims', () => {
  it('reads the registered claims: times in milliseconds, audience and scopes as lists', () => {
    expect(
      summarizeClaims({
        iss: 'https://idp.example',
        sub: 'user-1',
        aud: 'api',
        iat: 1_700_000_000,
        nbf: 1_700_000_000.5,
        exp: 1_700_003_600,
        scope: 'read  write',
      }),
    ).toEqual({
      issuer: 'https://idp.example',
      subject: 'user-1',
      audience: ['api'],
      issuedAt: 1_700_000_000_000,
      notBefore: 1_700_000_000_500,
      expiresAt: 1_700_003_600_000,
      scopes: ['read', 'write'],
    });
  });

  it('takes Entra’s and Okta’s scp, as text or as a list, and an audience list', () => {
    expect(summarizeClaims({ scp: 'User.Read Mail.Send', aud: ['a', 'b', 3] })).toEqual({
      scopes: ['User.Read', 'Mail.Send'],
      audience: ['a', 'b'],
    });
    expect(summarizeClaims({ scp: ['openid', 'profile'] })).toEqual({
      scopes: ['openid', 'profile'],
    });
  });

  it('leaves out claims that do not have their registered form', () => {
    expect(
      summarizeClaims({
        iss: 42,
        sub: { id: 1 },
        aud: [],
        exp: '1700000000',
        iat: Number.MAX_VALUE,
        nbf: null,
        scope: '',
      }),
    ).toEqual({});
  });
});

describe('withoutSecrets', () => {
  it('drops every string that contains a secret, at any depth, and keeps the rest', () => {
    const token = 'opaque-access-token-123';
    expect(
      withoutSecrets(
        {
          active: true,
          token,
          header: `Bearer ${token}`,
          nested: { list: ['keep', token, { again: token, other: 1 }] },
          sub: 'user-1',
        },
        [token, ''],
      ),
    ).toEqual({ active: true, nested: { list: ['keep', { other: 1 }] }, sub: 'user-1' });
  });

  it('cuts what nests deeper than the limit', () => {
    let value: unknown = 'bottom';
    for (let i = 0; i < MAX_JSON_DEPTH + 5; i++) value = { down: value };
    expect(JSON.stringify(withoutSecrets(value, []))).not.toContain('bottom');
  });
});
