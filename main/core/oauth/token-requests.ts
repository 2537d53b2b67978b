/**
 * The token-endpoint calls: code exchange and refresh, each a request/process pair on
 * oauth4webapi, with failures mapped onto the error table.
 */
import * as oauth from 'oauth4webapi';
import { tokenEndpointFailure } from './oauth-failure';
import type { ProviderRuntime } from './provider-runtime';
import { serverForTokenResponse } from './tenant-issuer';
import { toTokenSet, type TokenSet } from './token-set';

export interface ExchangeOutcome {
  readonly tokens: TokenSet;
  readonly idTokenClaims?: oauth.IDToken;
}

const expectsIdToken = (runtime: ProviderRuntime): boolean =>
  runtime.preset.protocol === 'oidc' && runtime.config.scopes.includes('openid');

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 */
export const exchangeCode = async (
  runtime: ProviderRuntime,
  callbackParams: URLSearchParams,
  request: {
    readonly redirectUri: string;
    readonly codeVerifier?: string;
    readonly nonce?: string;
  },
  now: () => number,
): Promise<ExchangeOutcome> => {
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      runtime.as,
      runtime.client,
      runtime.clientAuth,
      callbackParams,
      request.redirectUri,
      request.codeVerifier ?? oauth.nopkce,
      runtime.requestOptions,
    );
    const as = await serverForTokenResponse(runtime, response);
    const processed = await oauth.processAuthorizationCodeResponse(as, runtime.client, response, {
      expectedNonce: request.nonce ?? oauth.expectNoNonce,
      requireIdToken: expectsIdToken(runtime) && request.nonce !== undefined,
    });
    const claims = oauth.getValidatedIdTokenClaims(processed);
    return { tokens: toTokenSet(processed, now()), ...(claims ? { idTokenClaims: claims } : {}) };
  } catch (error) {
    throw tokenEndpointFailure('exchange', error);
  }
};

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-6 */
export const refreshTokens = async (
  runtime: ProviderRuntime,
  refreshToken: string,
  now: () => number,
): Promise<TokenSet> => {
  try {
    const response = await oauth.refreshTokenGrantRequest(
      runtime.as,
      runtime.client,
      runtime.clientAuth,
      refreshToken,
      runtime.requestOptions,
    );
    const as = await serverForTokenResponse(runtime, response);
    const processed = await oauth.processRefreshTokenResponse(as, runtime.client, response);
    return toTokenSet(processed, now());
  } catch (error) {
    throw tokenEndpointFailure('refresh', error);
  }
};
