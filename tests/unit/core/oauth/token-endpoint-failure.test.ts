/**
 * A token endpoint that refuses the client with HTTP 401 and a WWW-Authenticate challenge (as
 * oidc-provider does for a wrong secret sent with HTTP Basic) is reported as wrong client
 * credentials, in the provider's own words where the challenge carries them. Those words never
 * carry a secret the request sent or a token-shaped string. A refused token answer counts as
 * lost (retried once on refresh) only when it could not be read, not when it arrived whole.
 */
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { tokenEndpointFailure } from '../../../../main/core/oauth/token-endpoint-failure';

const challengeError = (header: string): oauth.WWWAuthenticateChallengeError => {
  const response = new Response('{"error":"invalid_client"}', {
    status: 401,
    headers: { 'www-authenticate': header, 'content-type': 'application/json' },
  });
  const challenges: oauth.WWWAuthenticateChallenge[] = [];
  const match = /^(\w+)\s*(.*)$/.exec(header)!;
  const parameters: Record<string, string> = {};
  for (const [, key, value] of match[2]!.matchAll(/(\w+)="([^"]*)"/g)) parameters[key!] = value!;
  challenges.push({ scheme: match[1]!.toLowerCase() as Lowercase<string>, parameters });
  return new oauth.WWWAuthenticateChallengeError('server responded with a challenge', {
    cause: challenges,
    response,
  });
};

describe('a 401 challenge from the token endpoint', () => {
  it('names the client credentials and passes the challenge’s error on', () => {
    const failure = tokenEndpointFailure(
      'exchange',
      challengeError(
        'Basic realm="http://127.0.0.1:4000", error="invalid_client", error_description="client authentication failed"',
      ),
    );
    const error = failure.toApiError();
    expect(error).toMatchObject({ group: 'oauth', code: 3 });
    expect(error.message).toBe(
      'The provider rejected the client credentials (invalid_client: client authentication failed): check the client ID and secret.',
    );
  });

  it('says what it got when the challenge names no error', () => {
    const error = tokenEndpointFailure('refresh', challengeError('Basic realm="idp"')).toApiError();
    expect(error).toMatchObject({ group: 'oauth', code: 3 });
    expect(error.message).toContain('HTTP 401, basic challenge');
    expect(error.message).toContain('check the client ID and secret');
  });
});

const refusal = (error: string, description: string): oauth.ResponseBodyError =>
  new oauth.ResponseBodyError('server responded with an error in the response body', {
    cause: { error, error_description: description },
    response: new Response(JSON.stringify({ error, error_description: description }), {
      status: 400,
      headers: { 'content-type': 'application/json' },
    }),
  });

describe('secrets the provider quotes back in its error text', () => {
  it('masks the refresh token the caller says it sent, however short, in message and traces', () => {
    const error = tokenEndpointFailure(
      'refresh',
      refusal('invalid_grant', 'Invalid refresh token: rt-1'),
      ['rt-1', 'cs-1'],
    ).toApiError();
    expect(error.message).toBe(
      'The provider refused the refresh token (invalid_grant: Invalid refresh token: [redacted]): reconnect the account.',
    );
    expect(JSON.stringify(error)).not.toContain('rt-1');
  });

  it('masks a token-shaped value even when no sent secret is given', () => {
    const uuid = '1f0c6a4e-8b7d-4c2a-9e3f-5a6b7c8d9e0f';
    const error = tokenEndpointFailure(
      'refresh',
      refusal('invalid_grant', `Invalid refresh token: ${uuid}`),
    ).toApiError();
    expect(error.message).toContain('Invalid refresh token: [redacted]');
    expect(JSON.stringify(error)).not.toContain(uuid);
  });

  it('masks the client secret in a 401 challenge’s error_description', () => {
    const error = tokenEndpointFailure(
      'exchange',
      challengeError(
        'Basic realm="idp", error="invalid_client", error_description="bad secret cs-1"',
      ),
      ['cs-1'],
    ).toApiError();
    expect(error.message).toContain('(invalid_client: bad secret [redacted])');
    expect(JSON.stringify(error)).not.toContain('cs-1');
  });

  it('masks the secrets in an OAuth error inside an HTTP 200', () => {
    const body = { error: 'invalid_grant', error_description: 'Invalid refresh token: rt-1' };
    const thrown = new oauth.OperationProcessingError(
      '"response" body "access_token" property must be a string',
      { code: oauth.INVALID_RESPONSE, cause: { body } },
    );
    const error = tokenEndpointFailure('refresh', thrown, ['rt-1']).toApiError();
    expect(error.message).toContain('(invalid_grant: Invalid refresh token: [redacted])');
    expect(JSON.stringify(error)).not.toContain('rt-1');
  });
});

describe('a token answer oauth4webapi refused: lost (retried once on refresh) or not', () => {
  const refused = (code: string, cause: unknown) =>
    tokenEndpointFailure('refresh', new oauth.OperationProcessingError('refused', { code, cause }))
      .details.network;

  it('JSON that arrived whole but has the wrong shape is the provider’s error, not lost', () => {
    const body = {
      access_token: 'at-2',
      token_type: 'bearer',
      refresh_token: 'rt-2',
      expires_in: 'x',
    };
    expect(refused(oauth.INVALID_RESPONSE, { body })).toBeUndefined();
  });

  it('a body that does not parse as JSON is lost', () => {
    expect(refused(oauth.PARSE_ERROR, new SyntaxError('Unexpected end of JSON input'))).toBe(
      'lost',
    );
  });

  it('a 200 that is not JSON (a captive portal) is lost; a 500 page is not', () => {
    const page = (status: number) => new Response('<html></html>', { status });
    expect(refused(oauth.RESPONSE_IS_NOT_JSON, page(200))).toBe('lost');
    expect(refused(oauth.RESPONSE_IS_NOT_CONFORM, page(500))).toBeUndefined();
  });
});
