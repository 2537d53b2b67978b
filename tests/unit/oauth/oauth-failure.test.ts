/**
 * A token endpoint that refuses the client with HTTP 401 and a WWW-Authenticate challenge (as
 * oidc-provider does for a wrong secret sent with HTTP Basic) is reported as wrong client
 * credentials, in the provider's own words where the challenge carries them.
 */
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { tokenEndpointFailure } from '../../../main/core/oauth/oauth-failure';

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
