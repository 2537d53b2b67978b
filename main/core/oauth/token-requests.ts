/**
 * The token-endpoint calls: code exchange and refresh, each a request/process pair on
 * oauth4webapi, with failures mapped onto the error table.
 */
import * as oauth from 'oauth4webapi';
import { exchangeThroughBackend, refreshThroughBackend } from '../backend/backend-requests';
import { standardBackendRequest } from '../backend/standard-backend';
import { peekJson } from '../http/http-client';
import { tokenEndpointFailure } from './token-endpoint-failure';
import {
  asksForIdToken,
  hasGuessedIssuer,
  requestOptionsFor,
  type ProviderRuntime,
} from './provider-runtime';
import { peekIdTokenClaims, serverForTokenResponse } from './tenant-issuer';
import { toTokenSet, type TokenSet } from './token-set';

export interface ExchangeOutcome {
  readonly tokens: TokenSet;
  readonly idTokenClaims?: oauth.IDToken;
}

/**
 * The token response as oauth4webapi should see it. Without a configured issuer (custom OAuth
 * 2.0) an ID token cannot be checked: oauth4webapi would compare its `iss` with the placeholder
 * issuer (provider-runtime.ts, guessedIssuers) and refuse a correct one (Keycloak's realm). Plain
 * OAuth 2.0 identifies the account by user-info, never by the ID token, so it is left out rather
 * than accepted unchecked.
 */
export const checkableResponse = async (runtime: ProviderRuntime, response: Response) => {
  if (!hasGuessedIssuer(runtime.as) || response.status !== 200) return response;
  let body: unknown;
  try {
    body = await peekJson(response);
  } catch {
    return response; // Not JSON: oauth4webapi says what is wrong with it.
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('id_token' in body))
    return response;
  const rest: Record<string, unknown> = { ...body };
  delete rest.id_token;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(JSON.stringify(rest), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
};

/**
 * The nonce the ID token must carry. The app's own connects send one exactly when they ask for
 * an ID token (authorization-request.ts) and must get it back; when they sent none, a nonce in
 * the token answers some other request (oauth.expectNoNonce).
 * A code obtained outside the app (the `exchange` API) comes from an authorization request
 * Tokendesk never saw: there is no nonce to compare with, yet such a code's ID token normally
 * has one (OpenID clients send a nonce). oauth4webapi offers no "skip the nonce check": an
 * undefined `expectedNonce` means expectNoNonce on both of processAuthorizationCodeResponse's
 * paths, which rejects any token with a nonce (panva/oauth4webapi#188). So the token's own
 * nonce is passed as the expected one; every other ID-token check (iss, aud, azp, exp, iat)
 * still applies.
 */
const nonceToExpect = async (
  request: { readonly nonce?: string; readonly outsideCode?: boolean },
  response: Response,
): Promise<string | typeof oauth.expectNoNonce> => {
  if (request.nonce !== undefined) return request.nonce;
  if (request.outsideCode !== true) return oauth.expectNoNonce;
  const nonce = (await peekIdTokenClaims(response))?.nonce;
  return typeof nonce === 'string' && nonce !== '' ? nonce : oauth.expectNoNonce;
};

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 */
export const exchangeCode = async (
  runtime: ProviderRuntime,
  callbackParams: URLSearchParams,
  request: {
    readonly redirectUri: string;
    readonly codeVerifier?: string;
    readonly nonce?: string;
    /** A code from an authorization request the app did not make (the `exchange` API). */
    readonly outsideCode?: boolean;
  },
  now: () => number,
): Promise<ExchangeOutcome> => {
  const backend = runtime.backend;
  if (backend !== undefined && backend.shape !== 'standard') {
    // No ID token comes back through these shapes: the account is identified by user-info.
    return {
      tokens: await exchangeThroughBackend(runtime, backend, callbackParams.get('code') ?? '', now),
    };
  }
  // Lifetimes count from when the request left, not from when its answer was read: a slow
  // answer then makes the token look shorter-lived, never longer.
  const sentAt = now();
  try {
    const sent = (
      as: oauth.AuthorizationServer,
      clientAuth: oauth.ClientAuth,
      options: oauth.TokenEndpointRequestOptions,
    ) =>
      oauth.authorizationCodeGrantRequest(
        as,
        runtime.client,
        clientAuth,
        callbackParams,
        request.redirectUri,
        request.codeVerifier ?? oauth.nopkce,
        options,
      );
    const response = await checkableResponse(
      runtime,
      backend !== undefined
        ? await standardBackendRequest(runtime, backend, 'exchange', sent, [
            callbackParams.get('code') ?? undefined,
            request.codeVerifier,
          ])
        : await sent(runtime.as, runtime.clientAuth, requestOptionsFor(runtime, 'token_endpoint')),
    );
    const as = await serverForTokenResponse(runtime, response);
    const processed = await oauth.processAuthorizationCodeResponse(as, runtime.client, response, {
      expectedNonce: await nonceToExpect(request, response),
      // A backend may pass the provider's answer on without its ID token: the account is then
      // identified by user-info. One that is there is checked all the same (nonce, iss, aud).
      requireIdToken:
        backend === undefined && asksForIdToken(runtime) && request.nonce !== undefined,
    });
    const claims = oauth.getValidatedIdTokenClaims(processed);
    return { tokens: toTokenSet(processed, sentAt), ...(claims ? { idTokenClaims: claims } : {}) };
  } catch (error) {
    throw tokenEndpointFailure('exchange', error, [
      callbackParams.get('code') ?? undefined,
      request.codeVerifier,
      runtime.clientSecret,
      backend?.credential,
    ]);
  }
};

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-6 */
export const refreshTokens = async (
  runtime: ProviderRuntime,
  refreshToken: string,
  now: () => number,
): Promise<TokenSet> => {
  const backend = runtime.backend;
  if (backend !== undefined && backend.shape !== 'standard')
    return refreshThroughBackend(runtime, backend, refreshToken, now);
  const sentAt = now(); // as for the exchange above
  try {
    const sent = (
      as: oauth.AuthorizationServer,
      clientAuth: oauth.ClientAuth,
      options: oauth.TokenEndpointRequestOptions,
    ) => oauth.refreshTokenGrantRequest(as, runtime.client, clientAuth, refreshToken, options);
    const response = await checkableResponse(
      runtime,
      backend !== undefined
        ? await standardBackendRequest(runtime, backend, 'refresh', sent, [refreshToken])
        : await sent(runtime.as, runtime.clientAuth, requestOptionsFor(runtime, 'token_endpoint')),
    );
    const as = await serverForTokenResponse(runtime, response);
    const processed = await oauth.processRefreshTokenResponse(as, runtime.client, response);
    return toTokenSet(processed, sentAt);
  } catch (error) {
    throw tokenEndpointFailure('refresh', error, [
      refreshToken,
      runtime.clientSecret,
      backend?.credential,
    ]);
  }
};
