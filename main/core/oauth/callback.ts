/**
 * Parses the URL the provider redirected to into a tagged union, checking `state` before
 * anything else is trusted and `iss` (RFC 9207) when the server sends it or promises to.
 */
import * as oauth from 'oauth4webapi';
import { timingSafeEqual } from 'node:crypto';
import { hasGuessedIssuer } from './provider-runtime';
import { messageOf } from '../../../shared/errors';

export type CallbackResult =
  | { readonly kind: 'code'; readonly params: URLSearchParams }
  | {
      readonly kind: 'provider-error';
      readonly error: string;
      readonly description?: string;
      readonly uri?: string;
    }
  | { readonly kind: 'state-mismatch' }
  | { readonly kind: 'issuer-mismatch'; readonly received: string | null }
  | { readonly kind: 'malformed'; readonly reason: string };

const sameString = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const withoutIss = (params: URLSearchParams): URLSearchParams => {
  const copy = new URLSearchParams(params);
  copy.delete('iss');
  return copy;
};

/** Where the provider's answer may sit: the query (response_mode=query, the default). */
export const parseCallback = (
  callback: URL,
  expected: {
    readonly state: string;
    readonly as: oauth.AuthorizationServer;
    readonly client: oauth.Client;
  },
): CallbackResult => {
  const params = callback.searchParams;
  for (const name of ['state', 'code', 'error', 'iss']) {
    if (params.getAll(name).length > 1)
      return { kind: 'malformed', reason: `the parameter "${name}" appears twice` };
  }
  const state = params.get('state');
  // An answer without our state, or with another one, belongs to someone else: nothing in it is
  // trusted, not even an error description.
  if (state === null || !sameString(state, expected.state)) return { kind: 'state-mismatch' };

  // Without a configured issuer (custom OAuth 2.0: endpoints only) there is nothing to compare
  // `iss` with: the placeholder issuer is the endpoints' origin, and a server under a path
  // (Keycloak: https://host/realms/<realm>) would be refused for naming itself correctly. The
  // mix-up defence (RFC 9700 §4.4.2) then rests on the redirect itself: each provider
  // configuration has its own callback path (`/callback/<providerId>`, shared/providers.ts), and
  // the consent ports hand over only a redirect to the path of the attempt's own provider.
  const checkIss = !hasGuessedIssuer(expected.as);
  const iss = checkIss ? params.get('iss') : null;
  if (
    (iss !== null && iss !== expected.as.issuer) ||
    (iss === null && checkIss && expected.as.authorization_response_iss_parameter_supported)
  ) {
    return { kind: 'issuer-mismatch', received: iss };
  }

  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description') ?? undefined;
    const uri = params.get('error_uri') ?? undefined;
    return {
      kind: 'provider-error',
      error,
      ...(description !== undefined ? { description } : {}),
      ...(uri !== undefined ? { uri } : {}),
    };
  }
  if (!params.get('code'))
    return { kind: 'malformed', reason: 'the redirect carries neither a code nor an error' };

  try {
    // oauth4webapi re-checks and brands the parameters for the code exchange.
    // oauth4webapi would compare `iss` with the placeholder issuer too: it gets the redirect
    // without it.
    const checked = checkIss ? params : withoutIss(params);
    return {
      kind: 'code',
      params: oauth.validateAuthResponse(expected.as, expected.client, checked, expected.state),
    };
  } catch (error) {
    return { kind: 'malformed', reason: messageOf(error) };
  }
};
