/**
 * How a token answer's `expires_in` becomes the account's expiry: a lifetime of zero seconds is
 * a token already expired (RFC 6749 §5.1), not one that never expires; only a missing
 * `expires_in` means "no expiry given".
 */
import type * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { toTokenSet } from '../../../main/core/oauth/token-set';

const NOW = 1_700_000_000_000;

const answer = (fields: Partial<oauth.TokenEndpointResponse>): oauth.TokenEndpointResponse => ({
  access_token: 'at-1',
  token_type: 'bearer',
  ...fields,
});

describe('toTokenSet expiry', () => {
  it('expires_in: 0 expires at the moment it was obtained', () => {
    const tokens = toTokenSet(answer({ expires_in: 0 }), NOW);
    expect(tokens.expiresAt).toBe(NOW);
    expect(tokens.obtainedAt).toBe(NOW);
  });

  it('expires_in: 3600 expires an hour later', () => {
    expect(toTokenSet(answer({ expires_in: 3600 }), NOW).expiresAt).toBe(NOW + 3_600_000);
  });

  it('no expires_in: the token does not expire', () => {
    expect(toTokenSet(answer({}), NOW).expiresAt).toBeNull();
  });
});
