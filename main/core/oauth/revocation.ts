/**
 * Revokes an account's grant at the provider: RFC 7009 where the provider has a revocation
 * endpoint, GitHub's API otherwise. The outcome is reported, never hidden.
 */
import * as oauth from 'oauth4webapi';
import type { RevocationOutcome } from '../../../shared/model';
import { errorOf, messageOf } from '../../../shared/errors';
import { NetworkFailure } from '../http/http-client';
import { CoreFailure } from '../core-failure';
import { requestOptionsFor, type ProviderRuntime } from './provider-runtime';
import { refreshTokens } from './token-requests';
import type { AccountSecrets } from '../storage/repository';

/**
 * What the account knows of its tokens. The caller holds the account's lock (a disconnect does),
 * so a refresh made to revoke cannot race another refresh of the same tokens.
 */
export interface HeldTokens {
  /** Whether the stored access token has expired or is about to, by the core's clock. */
  readonly accessTokenDue: boolean;
  readonly now: () => number;
}

const REVOKED: RevocationOutcome = { status: 'revoked' };

const failed = (message: string): RevocationOutcome => {
  const error = errorOf('revocationFailed', {
    message: `The provider did not confirm the revocation: ${message}`,
  });
  return {
    status: 'failed',
    error: { group: error.group, code: error.code, message: error.message },
  };
};

const describeFailure = (error: unknown): string => {
  if (error instanceof oauth.ResponseBodyError) return `${error.error} (HTTP ${error.status})`;
  if (error instanceof NetworkFailure) return error.message;
  if (error instanceof oauth.OperationProcessingError) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Response ? `HTTP ${cause.status}` : error.message;
  }
  return messageOf(error);
};

const rfc7009 = async (
  runtime: ProviderRuntime,
  secrets: AccountSecrets,
): Promise<RevocationOutcome> => {
  // The refresh token first: revoking it ends the grant at most providers, access token included.
  const tokens: Array<[string, string]> = [];
  if (secrets.refreshToken) tokens.push([secrets.refreshToken, 'refresh_token']);
  tokens.push([secrets.accessToken, 'access_token']);
  for (const [token, hint] of tokens) {
    const response = await oauth.revocationRequest(
      runtime.as,
      runtime.client,
      runtime.clientAuth,
      token,
      {
        ...requestOptionsFor(runtime, 'revocation_endpoint'),
        additionalParameters: { token_type_hint: hint },
      },
    );
    try {
      await oauth.processRevocationResponse(response);
    } catch (error) {
      // Google answers `invalid_token` (HTTP 400, not RFC 7009's 200) for a token already
      // revoked: the access token after its refresh token (which ended the whole grant), or a
      // grant the user removed in their account settings. Either way it is gone, as wanted.
      const alreadyGone =
        error instanceof oauth.ResponseBodyError && error.error === 'invalid_token';
      if (!alreadyGone) throw error;
    }
  }
  return { status: 'revoked' };
};

/**
 * DELETE /applications/{client_id}/token or /grant: the access token identifies the token or the
 * grant, and GitHub knows only valid ones (404 for an expired, revoked or unknown token).
 * @see https://docs.github.com/en/rest/apps/oauth-applications
 */
const githubDelete = async (
  runtime: ProviderRuntime,
  apiBase: string,
  what: 'token' | 'grant',
  clientSecret: string,
  accessToken: string,
): Promise<number> => {
  const url = new URL(
    `applications/${encodeURIComponent(runtime.config.clientId)}/${what}`,
    `${apiBase.replace(/\/$/, '')}/`,
  );
  const basic = Buffer.from(`${runtime.config.clientId}:${clientSecret}`).toString('base64');
  const response = await runtime.fetch(url.href, {
    method: 'DELETE',
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Basic ${basic}`,
      'content-type': 'application/json',
      'user-agent': 'Tokendesk',
      'x-github-api-version': '2022-11-28',
    },
    body: JSON.stringify({ access_token: accessToken }),
  });
  await response.body?.cancel();
  return response.status;
};

/**
 * A grant with a refresh token (GitHub App user tokens, OAuth Apps with expiring tokens: 8-hour
 * access tokens, refresh tokens that rotate and last six months).
 *
 * DELETE …/token is not used: GitHub documents that it deletes the access token, and nothing
 * about the refresh token, which could then go on minting access tokens for months. DELETE
 * …/grant is documented to revoke every OAuth token of the user's grant to the app, refresh
 * tokens included. The price: the grant is the user's authorization of the app as a whole, so the
 * same app's tokens for this user elsewhere (Tokendesk on another computer) end too; a
 * revocation that cannot be confirmed would be worse.
 *
 * The grant is named by a *valid* access token. One that has expired (by the account's expiry,
 * or that GitHub no longer knows) is first exchanged for a new pair with the refresh token, under
 * the account's lock. The new pair is not stored: the account is deleted next, and the grant's
 * deletion ends it too.
 *
 * Only a confirmation is reported as revoked: 204 from …/grant, or GitHub knowing neither the
 * access token (404) nor the refresh token (bad_refresh_token: spent, expired or revoked, as
 * when the user removed the app in their settings). A 404 alone is not one: the refresh token
 * may still be valid.
 */
const githubRefreshableGrant = async (
  runtime: ProviderRuntime,
  apiBase: string,
  clientSecret: string,
  secrets: AccountSecrets & { readonly refreshToken: string },
  held: HeldTokens | undefined,
): Promise<RevocationOutcome> => {
  const now = held?.now ?? Date.now;
  let accessToken = secrets.accessToken;
  let refreshed = false;
  let refreshRefused = false;
  const refresh = async (): Promise<void> => {
    try {
      accessToken = (await refreshTokens(runtime, secrets.refreshToken, now)).accessToken;
      refreshed = true;
    } catch (error) {
      if (!(error instanceof CoreFailure && error.errorName === 'reconnectNeeded')) throw error;
      refreshRefused = true;
    }
  };
  if (held?.accessTokenDue !== false) await refresh();
  let status = await githubDelete(runtime, apiBase, 'grant', clientSecret, accessToken);
  if (status === 404 && !refreshed && !refreshRefused) {
    await refresh();
    if (refreshed)
      status = await githubDelete(runtime, apiBase, 'grant', clientSecret, accessToken);
  }
  if (status === 204 || (status === 404 && refreshRefused)) return REVOKED;
  return failed(
    status === 404
      ? 'GitHub did not know the access token (HTTP 404), so the refresh token may still be valid'
      : `HTTP ${status}`,
  );
};

const githubApi = async (
  runtime: ProviderRuntime,
  apiBase: string,
  secrets: AccountSecrets,
  held: HeldTokens | undefined,
): Promise<RevocationOutcome> => {
  const clientSecret = runtime.clientSecret;
  if (clientSecret === undefined) {
    return {
      status: 'unsupported',
      message: 'GitHub revokes tokens only for requests signed with the client secret.',
    };
  }
  const { refreshToken } = secrets;
  if (refreshToken !== undefined)
    return githubRefreshableGrant(
      runtime,
      apiBase,
      clientSecret,
      { ...secrets, refreshToken },
      held,
    );
  // An OAuth App token that never expires, and nothing else held: 404 says GitHub no longer knows
  // it (revoked, or the user removed the app), so the one credential there was is dead.
  const status = await githubDelete(runtime, apiBase, 'token', clientSecret, secrets.accessToken);
  return status === 204 || status === 404 ? REVOKED : failed(`HTTP ${status}`);
};

/**
 * `held`: the account's expiry and the core's clock, where a revocation may have to refresh an
 * expired access token first (GitHub). Without it, an access token is taken as expired.
 */
export const revokeGrant = async (
  runtime: ProviderRuntime,
  secrets: AccountSecrets,
  held?: HeldTokens,
): Promise<RevocationOutcome> => {
  const method = runtime.preset.revocation;
  if (runtime.backend !== undefined) {
    // The backend holds the client secret that revocation needs (GitHub's API, most RFC 7009
    // endpoints), and none of its shapes offers revocation: nothing is sent anywhere.
    return {
      status: 'unsupported',
      message: `${runtime.config.label}’s tokens come through a backend (${new URL(runtime.backend.url).host}): revoking them is the backend’s business, and Tokendesk sent nothing. To end the grant now, remove the app in your ${runtime.preset.name} account settings.`,
    };
  }
  try {
    if (method.kind === 'github-api')
      return await githubApi(runtime, method.apiBase, secrets, held);
    if (method.kind === 'rfc7009' && runtime.as.revocation_endpoint)
      return await rfc7009(runtime, secrets);
    return {
      status: 'unsupported',
      message: `${runtime.preset.name} offers no revocation endpoint; the grant stays valid at the provider until it expires or you remove the app in your account settings.`,
    };
  } catch (error) {
    return failed(describeFailure(error));
  }
};
