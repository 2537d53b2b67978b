/**
 * Builds the authorization request: PKCE S256, `state`, `nonce` when asking for an ID token, and
 * the parameters each provider needs to issue a refresh token.
 * @see https://www.rfc-editor.org/rfc/rfc7636 (PKCE), RFC 9700 §2.1 (state, mix-up)
 */
import * as oauth from 'oauth4webapi';
import { BACKEND_SHAPE_FACTS } from '../../../shared/providers';
import { CoreFailure } from '../core-failure';
import { asksForIdToken, type ProviderRuntime } from './provider-runtime';
import { endpointBreach } from './server-endpoints';

export interface PendingAuthorization {
  readonly url: URL;
  readonly redirectUri: string;
  readonly state: string;
  /** Absent when the code goes to a token backend that cannot pass a verifier on. */
  readonly codeVerifier?: string;
  /** Set when an ID token is asked for (OpenID Connect, scope `openid`); it must echo it. */
  readonly nonce?: string;
}

export const buildAuthorizationRequest = async (
  runtime: ProviderRuntime,
  redirectUri: string,
): Promise<PendingAuthorization> => {
  if (!runtime.as.authorization_endpoint) {
    throw new CoreFailure(
      'discoveryFailed',
      'This provider’s configuration names no authorization endpoint.',
    );
  }
  // The URL goes to the consent window or the system browser: the last place to hold it to the
  // URL rules (the runtime already did, for typed and discovered endpoints alike).
  const problem = endpointBreach(runtime.as, 'authorization_endpoint');
  if (problem !== undefined) {
    throw new CoreFailure(
      'discoveryFailed',
      `This provider’s authorization endpoint ${problem}: no sign-in was opened.`,
      { traces: [`authorization_endpoint ${problem}`] },
    );
  }
  // A code challenge the token request cannot answer would make the provider refuse the code:
  // a backend shape without a field for the verifier gets none (state still protects the sign-in).
  const codeVerifier =
    runtime.backend === undefined || BACKEND_SHAPE_FACTS[runtime.backend.shape].takesPkce
      ? oauth.generateRandomCodeVerifier()
      : undefined;
  const state = oauth.generateRandomState();
  // A nonce only with the `openid` scope: without it no ID token comes back, and a nonce sent
  // would make the exchange demand one (token-requests.ts passes it as the expected nonce).
  const nonce = asksForIdToken(runtime) ? oauth.generateRandomNonce() : undefined;

  const url = new URL(runtime.as.authorization_endpoint);
  const params = url.searchParams;
  for (const [key, value] of Object.entries(runtime.preset.authorizationParams))
    params.set(key, value);
  params.set('client_id', runtime.config.clientId);
  params.set('redirect_uri', redirectUri);
  params.set('response_type', 'code');
  if (runtime.config.scopes.length > 0) params.set('scope', runtime.config.scopes.join(' '));
  params.set('state', state);
  if (codeVerifier !== undefined) {
    params.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    params.set('code_challenge_method', 'S256');
  }
  if (nonce !== undefined) params.set('nonce', nonce);
  return {
    url,
    redirectUri,
    state,
    ...(codeVerifier !== undefined ? { codeVerifier } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  };
};
