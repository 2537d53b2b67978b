/**
 * Revokes an account's grant at the provider: RFC 7009 where the provider has a revocation
 * endpoint, GitHub's API otherwise. The outcome is reported, never hidden.
 */
import * as oauth from 'oauth4webapi';
import type { RevocationOutcome } from '../../../shared/model';
import { errorOf, messageOf } from '../../../shared/errors';
import { NetworkFailure } from '../http/http-client';
import { requestOptionsFor, type ProviderRuntime } from './provider-runtime';
import type { AccountSecrets } from '../storage/repository';

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

/** @see https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token */
const githubApi = async (
  runtime: ProviderRuntime,
  apiBase: string,
  secrets: AccountSecrets,
): Promise<RevocationOutcome> => {
  if (runtime.clientSecret === undefined) {
    return {
      status: 'unsupported',
      message: 'GitHub revokes tokens only for requests signed with the client secret.',
    };
  }
  const url = new URL(
    `applications/${encodeURIComponent(runtime.config.clientId)}/token`,
    `${apiBase.replace(/\/$/, '')}/`,
  );
  const basic = Buffer.from(`${runtime.config.clientId}:${runtime.clientSecret}`).toString(
    'base64',
  );
  const response = await runtime.fetch(url.href, {
    method: 'DELETE',
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Basic ${basic}`,
      'content-type': 'application/json',
      'user-agent': 'Tokendesk',
      'x-github-api-version': '2022-11-28',
    },
    body: JSON.stringify({ access_token: secrets.accessToken }),
  });
  // 404: the token is already gone, which is what the user wanted.
  if (response.status === 204 || response.status === 404) return { status: 'revoked' };
  return failed(`HTTP ${response.status}`);
};

export const revokeGrant = async (
  runtime: ProviderRuntime,
  secrets: AccountSecrets,
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
    if (method.kind === 'github-api') return await githubApi(runtime, method.apiBase, secrets);
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
