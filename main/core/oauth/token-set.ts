/**
 * A processed token response. `expiresAt` is computed here, once, from `now` (the moment the
 * request left); a response without `expires_in` yields a token that does not expire (null),
 * which the UI shows as such rather than as expired. `expires_in: 0` with a refresh token is a
 * lifetime of zero seconds (RFC 6749 §5.1): expired at once, refreshed before it is handed out.
 * Without a refresh token nothing could renew it, and the servers that send it (VK, older
 * Spring Security OAuth) mean "does not expire": null.
 *
 * The access token must be visible ASCII (0x21–0x7E, RFC 6749's VSCHAR without the space): users
 * paste it into terminals (the curl format) and HTTP headers, where a control character
 * (ESC, Ctrl-U, CR) from a hostile or broken provider would run commands or split the header.
 * Such an answer is refused, never stored: the caller's tokens stay as they were.
 */
import type * as oauth from 'oauth4webapi';

/**
 * Visible ASCII, nothing else: no space, tab, line break, control character or non-ASCII. As
 * lenient as RFC 6749 allows (RFC 6750's b64token is stricter, but tokens in the wild use other
 * punctuation too).
 */
export const isVisibleAscii = (value: string): boolean => /^[\x21-\x7e]+$/.test(value);

/**
 * A token answer that cannot be used. Thrown inside token-requests.ts's try, it becomes the
 * operation's ordinary failure (`exchangeFailed` / `refreshFailed`, token-endpoint-failure.ts) with this
 * message, and is not retried as a lost answer: the answer did arrive.
 */
export class UnusableTokenAnswer extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableTokenAnswer';
  }
}

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
  // The message never quotes the token: it becomes the account's lastError and reaches the UI.
  // (token_type needs no check: oauth4webapi accepts only "bearer" and "dpop".)
  if (!isVisibleAscii(response.access_token)) {
    throw new UnusableTokenAnswer(
      'the provider issued an access token with characters a token cannot have (spaces or control characters).',
    );
  }
  const expiresIn = response.expires_in;
  const hasRefreshToken =
    typeof response.refresh_token === 'string' && response.refresh_token !== '';
  // oauth4webapi has already refused a negative or non-numeric `expires_in`; its absence means
  // the provider gave no lifetime. 0 is a lifetime of zero (RFC 6749) when a refresh token comes
  // with it (refreshed on use); without one, providers that send 0 (VK's offline scope, older
  // Spring Security OAuth and GoToSocial) mean "does not expire", and reading it as "expired"
  // would make the account unusable.
  const expiresAt =
    typeof expiresIn === 'number' &&
    Number.isFinite(expiresIn) &&
    expiresIn >= 0 &&
    (expiresIn > 0 || hasRefreshToken)
      ? now + expiresIn * 1000
      : null;
  const scope =
    typeof response.scope === 'string' ? response.scope.split(' ').filter(Boolean) : undefined;
  return {
    accessToken: response.access_token,
    // Providers differ in case ("bearer", "Bearer"); the Authorization header wants "Bearer".
    tokenType: response.token_type.toLowerCase() === 'bearer' ? 'Bearer' : response.token_type,
    ...(hasRefreshToken ? { refreshToken: response.refresh_token } : {}),
    ...(typeof response.id_token === 'string' ? { idToken: response.id_token } : {}),
    ...(scope !== undefined ? { scopes: scope } : {}),
    expiresAt,
    obtainedAt: now,
  };
};
