/**
 * The URL rules of provider configurations (shared/url-rules.ts, applied by the saveProvider
 * and exchange schemas): what a user may type as an endpoint, an issuer or a redirect URI. A
 * refused value is `request`/0 with one `url` detail whose reason says what is wrong; an accepted
 * one is stored exactly as typed.
 */
import { describe, expect, it } from 'vitest';
import { exchangeInput, LIMITS, saveProviderInput } from '../../../shared/ipc-contract';
import {
  endpointUrlProblem,
  isAllowedEndpoint,
  issuerUrlProblem,
  redirectUriProblem,
} from '../../../shared/url-rules';
import { parseInput } from '../../../main/core/api/validation';
import { createApiFixture, failed, ok } from '../helpers/api-fixture';

const HTTPS_ONLY = 'must be an https URL (http only for 127.0.0.1, localhost or [::1])';
const SPACES = 'must not contain spaces or control characters';
const FRAGMENT = 'must not have a #fragment';
const PUNYCODE = 'must use the ASCII (punycode, xn--…) form of the host name';

/** Values every endpoint, issuer and redirect URI refuses, with the reason given. */
const REFUSED_EVERYWHERE: ReadonlyArray<readonly [string, string, string]> = [
  ['a leading space', ' https://idp.example.com/token', SPACES],
  ['a trailing space', 'https://idp.example.com/token ', SPACES],
  ['a trailing newline', 'https://idp.example.com/token\n', SPACES],
  ['a tab inside', 'https://idp.example.com/to\tken', SPACES],
  ['a CR inside', 'https://idp.example.com/token\r', SPACES],
  ['an ESC', 'https://idp.example.com/\x1b[201~', SPACES],
  ['a NUL', 'https://idp.example.com/\x00', SPACES],
  ['a Ctrl-U', 'https://idp.example.com/\x15', SPACES],
  ['a DEL', 'https://idp.example.com/\x7f', SPACES],
  ['a C1 control', 'https://idp.example.com/\x9b', SPACES],
  ['a space inside', 'https://idp.example.com/my token', SPACES],
  ['a no-break space', 'https://idp.example.com/\u00a0', SPACES],
  ['a line separator', 'https://idp.example.com/\u2028', SPACES],
  ['a zero-width space', 'https://idp.exa\u200bmple.com/token', SPACES],
  ['a right-to-left override', 'https://idp.example.com/\u202etoken', SPACES],
  [
    'backslashes',
    'https:\\\\idp.example.com\\token',
    'must not contain backslashes (use / in URLs)',
  ],
  [
    'a backslash in the path',
    'https://idp.example.com\\token',
    'must not contain backslashes (use / in URLs)',
  ],
  // "аccounts" with a Cyrillic а (U+0430): it looks like Google's host and is not.
  ['a Cyrillic homograph host', 'https://\u0430ccounts.google.com/o/oauth2/token', PUNYCODE],
  ['a Unicode host', 'https://bücher.example/token', PUNYCODE],
  ['a fragment', 'https://idp.example.com/token#x', FRAGMENT],
  ['an empty fragment', 'https://idp.example.com/token#', FRAGMENT],
];

/** Further values an endpoint refuses (and an issuer with it). */
const REFUSED_ENDPOINTS: ReadonlyArray<readonly [string, string, string]> = [
  ['plain http elsewhere than loopback', 'http://idp.example.com/token', HTTPS_ONLY],
  ['another scheme', 'ftp://idp.example.com/token', HTTPS_ONLY],
  ['javascript:', 'javascript:alert(1)', HTTPS_ONLY],
  ['no scheme', 'idp.example.com/token', HTTPS_ONLY],
  ['not a URL', 'token endpoint', SPACES],
  ['an empty value', '', HTTPS_ONLY],
  [
    'credentials',
    'https://user:pass@idp.example.com/token',
    'must not contain a user name or password',
  ],
  [
    'an empty user-info',
    'https://@idp.example.com/token',
    'must not contain a user name or password',
  ],
  ['no slashes', 'https:idp.example.com/token', 'must start with https:// and the host name'],
  ['three slashes', 'https:///idp.example.com/token', 'must start with https:// and the host name'],
  [
    'a percent-encoded host',
    'https://%D0%B0ccounts.google.com/token',
    'must not percent-encode the host name',
  ],
  [
    'non-ASCII in the path',
    'https://idp.example.com/münchen/token',
    'must percent-encode characters outside ASCII (as %XX)',
  ],
];

/** Values an endpoint accepts today and still does. */
const ACCEPTED_ENDPOINTS = [
  'https://idp.example.com/token',
  'https://idp.example.com',
  'https://idp.example.com/',
  'https://idp.example.com:8443/oauth2/v1/token',
  'https://login.example.com/tenant/oauth2/v2.0/authorize?p=b2c_1_signin',
  'HTTPS://IDP.EXAMPLE.COM/Token',
  'https://xn--bcher-kva.example/token',
  'https://idp.example.com/m%C3%BCnchen/token',
  "https://idp.example.com/it's~here/(x)!*$&+,;=:@",
  'http://127.0.0.1:8080/token',
  'http://localhost/token',
  'http://[::1]:9000/token',
  'https://203.0.113.7/token',
  `https://idp.example.com/${'p'.repeat(LIMITS.url - 'https://idp.example.com/'.length)}`,
];

describe('endpointUrlProblem', () => {
  it.each([...REFUSED_EVERYWHERE, ...REFUSED_ENDPOINTS])('refuses %s', (_what, value, reason) => {
    expect(endpointUrlProblem(value)).toBe(reason);
    expect(isAllowedEndpoint(value)).toBe(false);
  });

  it.each(ACCEPTED_ENDPOINTS)('accepts %s', (value) => {
    expect(endpointUrlProblem(value)).toBeUndefined();
    expect(isAllowedEndpoint(value)).toBe(true);
  });

  it('refuses every C0 control character, DEL and the C1 controls anywhere', () => {
    const controls = [
      ...Array.from({ length: 0x21 }, (_, i) => i),
      ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
    ].map((code) => String.fromCharCode(code));
    for (const c of controls) {
      for (const value of [
        `${c}https://idp.example.com/t`,
        `https://idp.exa${c}mple.com/t`,
        `https://idp.example.com/t${c}`,
      ]) {
        expect(endpointUrlProblem(value), JSON.stringify(value)).toBe(SPACES);
      }
    }
  });
});

describe('issuerUrlProblem', () => {
  it.each([...REFUSED_EVERYWHERE, ...REFUSED_ENDPOINTS])('refuses %s', (_what, value, reason) => {
    expect(issuerUrlProblem(value)).toBe(reason);
  });

  it.each([
    ['a query', 'https://idp.example.com/realms/x?tenant=1'],
    ['an empty query', 'https://idp.example.com/?'],
  ])('refuses %s (OpenID Connect Discovery §2)', (_what, value) => {
    expect(issuerUrlProblem(value)).toBe(
      'must not have a ?query (an issuer is a scheme, host and path)',
    );
  });

  it.each([
    'https://idp.example.com',
    'https://idp.example.com/',
    'https://idp.example.com/realms/work',
    'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0',
    'http://127.0.0.1:8080',
  ])('accepts %s', (value) => {
    expect(issuerUrlProblem(value)).toBeUndefined();
  });
});

describe('redirectUriProblem', () => {
  it.each(REFUSED_EVERYWHERE)('refuses %s', (_what, value, reason) => {
    expect(redirectUriProblem(value)).toBe(reason);
  });

  it('refuses what is not an absolute URL', () => {
    expect(redirectUriProblem('/callback')).toBe(
      'must be an absolute URL, such as http://127.0.0.1:8080/callback',
    );
  });

  it.each([
    'http://127.0.0.1/callback/github',
    'http://127.0.0.1:53682/callback',
    'com.googleusercontent.apps.123-abc:/oauth2redirect',
    'https://app.example.com/callback?x=1',
  ])('accepts %s (any scheme: native apps use private-use ones)', (value) => {
    expect(redirectUriProblem(value)).toBeUndefined();
  });
});

const BASE = {
  id: 'work',
  presetId: 'oauth2',
  clientId: 'client-123',
  endpoints: {
    authorization: 'https://idp.example.com/authorize',
    token: 'https://idp.example.com/token',
  },
} as const;

const detailsOf = (schema: Parameters<typeof parseInput>[0], input: unknown) => {
  const parsed = parseInput(schema, input);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  expect(parsed.error).toMatchObject({ group: 'request', code: 0 });
  return parsed.error.validationDetail;
};

describe('the URL fields of saveProvider and exchange', () => {
  it.each([...REFUSED_EVERYWHERE, ...REFUSED_ENDPOINTS])(
    'endpoints.token with %s: one url detail saying what is wrong',
    (_what, value, reason) => {
      expect(
        detailsOf(saveProviderInput, { ...BASE, endpoints: { ...BASE.endpoints, token: value } }),
      ).toEqual([expect.objectContaining({ field: 'endpoints.token', expression: 'url', reason })]);
    },
  );

  it('every URL problem reads "must …", never zod’s wording or a bare description', () => {
    for (const [, value] of [...REFUSED_EVERYWHERE, ...REFUSED_ENDPOINTS]) {
      for (const detail of detailsOf(saveProviderInput, {
        ...BASE,
        presetId: 'oidc',
        issuer: value,
      }) ?? []) {
        expect(detail.expression).toBe('url');
        expect(detail.reason).toMatch(/^must /);
      }
    }
  });

  it('an issuer with a query or fragment is refused', () => {
    expect(
      detailsOf(saveProviderInput, { ...BASE, issuer: 'https://idp.example.com/?x=1' }),
    ).toEqual([
      expect.objectContaining({
        field: 'issuer',
        expression: 'url',
        reason: 'must not have a ?query (an issuer is a scheme, host and path)',
      }),
    ]);
    expect(detailsOf(saveProviderInput, { ...BASE, issuer: 'https://idp.example.com/#x' })).toEqual(
      [expect.objectContaining({ field: 'issuer', expression: 'url', reason: FRAGMENT })],
    );
  });

  it('an oversized URL gets its max detail (and its url detail when it is also malformed)', () => {
    const long = `https://idp.example.com/${'p'.repeat(LIMITS.url)}`;
    expect(
      detailsOf(saveProviderInput, { ...BASE, endpoints: { ...BASE.endpoints, token: long } }),
    ).toEqual([expect.objectContaining({ field: 'endpoints.token', expression: 'max' })]);
    expect(
      detailsOf(saveProviderInput, {
        ...BASE,
        endpoints: { ...BASE.endpoints, token: `${long}#x` },
      })?.map((d) => d.expression),
    ).toEqual(['max', 'url']);
  });

  it('exchange.redirectUri: a url detail with a "must …" reason', () => {
    const input = { provider: 'github', code: 'abc', redirectUri: 'not a url' };
    expect(detailsOf(exchangeInput, input)).toEqual([
      expect.objectContaining({ field: 'redirectUri', expression: 'url', reason: SPACES }),
    ]);
    expect(detailsOf(exchangeInput, { ...input, redirectUri: 'callback' })).toEqual([
      expect.objectContaining({
        field: 'redirectUri',
        expression: 'url',
        reason: 'must be an absolute URL, such as http://127.0.0.1:8080/callback',
      }),
    ]);
  });
});

describe('through the API', () => {
  it('refuses a bad endpoint or issuer and stores nothing', async () => {
    const f = createApiFixture();
    try {
      const error = failed(
        await f.api.saveProvider({
          ...BASE,
          presetId: 'oidc',
          issuer: 'https://\u0430ccounts.google.com',
          endpoints: { ...BASE.endpoints, token: 'https://idp.example.com/token#x' },
        }),
      );
      expect(error).toMatchObject({ group: 'request', code: 0 });
      expect(error.validationDetail).toEqual([
        expect.objectContaining({ field: 'issuer', expression: 'url', reason: PUNYCODE }),
        expect.objectContaining({ field: 'endpoints.token', expression: 'url', reason: FRAGMENT }),
      ]);
      expect(ok(await f.api.listProviders()).configured).toEqual([]);
    } finally {
      f.dispose();
    }
  });

  it('holds a typed introspection endpoint to the same rules: https, or http only on loopback', async () => {
    const f = createApiFixture();
    try {
      const error = failed(
        await f.api.saveProvider({
          ...BASE,
          endpoints: { ...BASE.endpoints, introspection: 'http://idp.example.com/introspect' },
        }),
      );
      expect(error).toMatchObject({ group: 'request', code: 0 });
      expect(error.validationDetail).toEqual([
        expect.objectContaining({
          field: 'endpoints.introspection',
          expression: 'url',
          reason: HTTPS_ONLY,
        }),
      ]);
      expect(ok(await f.api.listProviders()).configured).toEqual([]);

      for (const introspection of [
        'https://idp.example.com/oauth2/introspect',
        'http://127.0.0.1:8080/introspect',
        'http://localhost:8080/introspect',
      ]) {
        const saved = ok(
          await f.api.saveProvider({ ...BASE, endpoints: { ...BASE.endpoints, introspection } }),
        );
        expect(saved.endpoints?.introspection).toBe(introspection);
      }
    } finally {
      f.dispose();
    }
  });

  it('stores a valid URL exactly as typed', async () => {
    const f = createApiFixture();
    try {
      const endpoints = {
        authorization: 'HTTPS://IDP.EXAMPLE.COM/Authorize?p=b2c_1_signin',
        token: 'https://idp.example.com:8443/m%C3%BCnchen/token',
        userinfo: 'https://xn--bcher-kva.example/userinfo',
        revocation: 'http://127.0.0.1:8080/revoke',
      };
      const saved = ok(await f.api.saveProvider({ ...BASE, endpoints }));
      expect(saved.endpoints).toEqual(endpoints);
      expect(ok(await f.api.listProviders()).configured[0]?.endpoints).toEqual(endpoints);
    } finally {
      f.dispose();
    }
  });
});
