/**
 * The callback URL the provider redirected to becomes a tagged union. `state` is checked before
 * anything else is believed; `iss` (RFC 9207) when sent or promised; an ambiguous URL is malformed.
 */
import type * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { parseCallback, type CallbackResult } from '../../../../main/core/oauth/callback';
import { resolveProviderRuntime } from '../../../../main/core/oauth/provider-runtime';
import { findPreset, type ProviderPreset } from '../../../../shared/providers';

const STATE = 'kq3Jx0c1Q9mWd0R4uV2bS8yN5tE7aG6hL1pZ3fK9oY0';
const ISSUER = 'https://idp.example.com';
const client: oauth.Client = { client_id: 'tokendesk' };
const plainServer: oauth.AuthorizationServer = { issuer: ISSUER };
const issServer: oauth.AuthorizationServer = {
  issuer: ISSUER,
  authorization_response_iss_parameter_supported: true,
};

const callback = (query: string): URL => new URL(`http://127.0.0.1:53682/callback/google?${query}`);

const parse = (
  query: string,
  as: oauth.AuthorizationServer = plainServer,
  state = STATE,
): CallbackResult => parseCallback(callback(query), { state, as, client });

describe('parseCallback: a code', () => {
  it('answers the code with the branded parameters for the exchange', () => {
    const result = parse(`code=abc123&state=${STATE}`);
    expect(result.kind).toBe('code');
    if (result.kind !== 'code') return;
    expect(result.params.get('code')).toBe('abc123');
  });

  it('accepts a matching iss from a server that promises it', () => {
    const result = parse(`code=abc123&state=${STATE}&iss=${encodeURIComponent(ISSUER)}`, issServer);
    expect(result.kind).toBe('code');
  });

  it('accepts a matching iss from a server that did not promise it', () => {
    expect(parse(`code=abc123&state=${STATE}&iss=${encodeURIComponent(ISSUER)}`).kind).toBe('code');
  });
});

describe('parseCallback: provider errors', () => {
  it('reports access_denied with the provider’s description', () => {
    expect(
      parse(
        `error=access_denied&error_description=${encodeURIComponent('The user said no')}&state=${STATE}`,
      ),
    ).toEqual({
      kind: 'provider-error',
      error: 'access_denied',
      description: 'The user said no',
    });
  });

  it('reports other provider errors with their code and link', () => {
    expect(
      parse(
        `error=invalid_scope&error_description=unknown%20scope%20foo&error_uri=${encodeURIComponent('https://idp.example.com/help')}&state=${STATE}`,
      ),
    ).toEqual({
      kind: 'provider-error',
      error: 'invalid_scope',
      description: 'unknown scope foo',
      uri: 'https://idp.example.com/help',
    });
  });

  it('reports an error without a description without inventing one', () => {
    const result = parse(`error=server_error&state=${STATE}`);
    expect(result).toEqual({ kind: 'provider-error', error: 'server_error' });
  });

  it('prefers the error over a code sent alongside it', () => {
    expect(parse(`error=temporarily_unavailable&code=abc&state=${STATE}`).kind).toBe(
      'provider-error',
    );
  });
});

describe('parseCallback: state', () => {
  it.each([
    ['missing', 'code=abc123'],
    ['different', 'code=abc123&state=someone-elses-state'],
    ['empty', 'code=abc123&state='],
    ['a prefix of ours', `code=abc123&state=${STATE.slice(0, -1)}`],
    ['ours with something appended', `code=abc123&state=${STATE}x`],
    ['same length, one character off', `code=abc123&state=${STATE.slice(0, -1)}1`],
  ])('is a state mismatch when the state is %s', (_name, query) => {
    expect(parse(query)).toEqual({ kind: 'state-mismatch' });
  });

  it('does not trust an error that arrives without our state (not even its description)', () => {
    const result = parse(
      `error=access_denied&error_description=${encodeURIComponent('Click evil.example to retry')}`,
    );
    expect(result).toEqual({ kind: 'state-mismatch' });
    expect(JSON.stringify(result)).not.toContain('evil.example');
  });

  it('does not trust an error that arrives with another state', () => {
    expect(parse('error=server_error&state=other')).toEqual({ kind: 'state-mismatch' });
  });

  it('checks the state before the issuer', () => {
    expect(
      parse(`code=abc&state=other&iss=${encodeURIComponent('https://evil.example')}`, issServer)
        .kind,
    ).toBe('state-mismatch');
  });
});

describe('parseCallback: issuer (RFC 9207 mix-up defence)', () => {
  it('is an issuer mismatch when iss names another server, and says which', () => {
    expect(
      parse(`code=abc&state=${STATE}&iss=${encodeURIComponent('https://evil.example')}`, issServer),
    ).toEqual({
      kind: 'issuer-mismatch',
      received: 'https://evil.example',
    });
  });

  it('is an issuer mismatch when iss names another server that did not promise iss', () => {
    expect(
      parse(`code=abc&state=${STATE}&iss=${encodeURIComponent('https://evil.example')}`).kind,
    ).toBe('issuer-mismatch');
  });

  it('is an issuer mismatch when a server that promises iss leaves it out', () => {
    expect(parse(`code=abc&state=${STATE}`, issServer)).toEqual({
      kind: 'issuer-mismatch',
      received: null,
    });
  });

  it('checks the issuer of error answers too', () => {
    expect(
      parse(
        `error=access_denied&state=${STATE}&iss=${encodeURIComponent('https://evil.example')}`,
        issServer,
      ).kind,
    ).toBe('issuer-mismatch');
  });

  it('compares the issuer exactly (no trailing-slash or case leniency)', () => {
    expect(
      parse(`code=abc&state=${STATE}&iss=${encodeURIComponent(`${ISSUER}/`)}`, issServer).kind,
    ).toBe('issuer-mismatch');
    expect(
      parse(`code=abc&state=${STATE}&iss=${encodeURIComponent(ISSUER.toUpperCase())}`, issServer)
        .kind,
    ).toBe('issuer-mismatch');
  });
});

describe('parseCallback: malformed answers', () => {
  it.each([
    ['code', `code=a&code=b&state=${STATE}`],
    ['state', `code=a&state=${STATE}&state=${STATE}`],
    ['state (one of them ours)', `code=a&state=${STATE}&state=other`],
    ['error', `error=access_denied&error=server_error&state=${STATE}`],
    [
      'iss',
      `code=a&state=${STATE}&iss=${encodeURIComponent(ISSUER)}&iss=${encodeURIComponent(ISSUER)}`,
    ],
  ])('is malformed when "%s" is duplicated', (name, query) => {
    const result = parse(query, issServer);
    expect(result.kind).toBe('malformed');
    if (result.kind === 'malformed') expect(result.reason).toContain(name.split(' ')[0]);
  });

  it('is malformed when there is neither a code nor an error', () => {
    const result = parse(`state=${STATE}`);
    expect(result.kind).toBe('malformed');
    if (result.kind === 'malformed') expect(result.reason).toMatch(/neither a code nor an error/);
  });

  it('is malformed when the code is empty', () => {
    expect(parse(`code=&state=${STATE}`).kind).toBe('malformed');
  });
});

describe('parseCallback: a configuration without an issuer (custom OAuth 2.0)', () => {
  const oauth2 = findPreset('oauth2') as ProviderPreset;
  const runtime = (issuer?: string) =>
    resolveProviderRuntime(
      {
        id: 'keycloak',
        presetId: 'oauth2',
        label: 'Keycloak',
        clientId: 'tokendesk',
        clientAuth: 'none',
        scopes: [],
        consentMode: 'embedded',
        ...(issuer !== undefined ? { issuer } : {}),
        endpoints: {
          authorization: 'https://kc.example.com/realms/acme/protocol/openid-connect/auth',
          token: 'https://kc.example.com/realms/acme/protocol/openid-connect/token',
        },
        createdAt: 0,
        updatedAt: 0,
      },
      oauth2,
      undefined,
      {
        limits: { timeoutMs: 1_000, maxBodyBytes: 10_000 },
        discover: () => Promise.reject(new Error('no discovery in this test')),
      },
    );
  const realm = encodeURIComponent('https://kc.example.com/realms/acme');

  it('does not hold the redirect’s iss to the guessed issuer (the endpoints’ origin)', async () => {
    const { as, client } = await runtime();
    const result = parseCallback(callback(`code=abc&state=${STATE}&iss=${realm}`), {
      state: STATE,
      as,
      client,
    });
    expect(result.kind).toBe('code');
    if (result.kind === 'code') expect(result.params.get('code')).toBe('abc');
  });

  it('still checks the state', async () => {
    const { as, client } = await runtime();
    expect(
      parseCallback(callback(`code=abc&state=other&iss=${realm}`), { state: STATE, as, client })
        .kind,
    ).toBe('state-mismatch');
  });

  it('checks iss against an issuer the user configured', async () => {
    const { as, client } = await runtime('https://kc.example.com/realms/acme');
    const evil = encodeURIComponent('https://evil.example/realms/acme');
    expect(
      parseCallback(callback(`code=abc&state=${STATE}&iss=${realm}`), { state: STATE, as, client })
        .kind,
    ).toBe('code');
    expect(
      parseCallback(callback(`code=abc&state=${STATE}&iss=${evil}`), { state: STATE, as, client }),
    ).toEqual({ kind: 'issuer-mismatch', received: 'https://evil.example/realms/acme' });
  });
});
