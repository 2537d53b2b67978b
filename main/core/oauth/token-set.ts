/**
 * A processed token response. `expiresAt` is computed here, once, from the moment the response
 * was processed; a response without `expires_in` yields a token that does not expire (null),
 * which the UI shows as such rather than as expired. `expires_in: 0` is a lifetime of zero
 * seconds (RFC 6749 §5.1), not "never": that token is expired at once, so the app refreshes it
 * before handing it out instead of showing a dead token as valid forever.
 */
import type * as oauth from 'oauth4webapi';

export interface TokenSet {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** Scopes the provider granted, when it said; otherwise the caller keeps what it asked for. */
  readonly scopes?: readonly string[];
  readonly expiresAt: number | null;
  readonly obtainedAt: number;
}

export const toTokenSet = (response: oauth.TokenEndpointResponse, now: number): TokenSet => {
  const expiresIn = response.expires_in;
  // oauth4webapi has already refused a negative or non-numeric `expires_in`; only its absence
  // (undefined) means the provider gave no lifetime.
  const expiresAt =
    typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn >= 0
      ? now + expiresIn * 1000
      : null;
  const scope =
    typeof response.scope === 'string' ? response.scope.split(' ').filter(Boolean) : undefined;
  return {
    accessToken: response.access_token,
    // Providers differ in case ("bearer", "Bearer"); the Authorization header wants "Bearer".
    tokenType: response.token_type.toLowerCase() === 'bearer' ? 'Bearer' : response.token_type,
    ...(typeof response.refresh_token === 'string' && response.refresh_token !== ''
      ? { refreshToken: response.refresh_token }
      : {}),
    ...(typeof response.id_token === 'string' ? { idToken: response.id_token } : {}),
    ...(scope !== undefined ? { scopes: scope } : {}),
    expiresAt,
    obtainedAt: now,
  };
};
