/**
 * Asks the provider what it knows about an access token (RFC 7662): whether it is active, and
 * its claims. Only where the provider's metadata names an `introspection_endpoint` (discovered,
 * or typed in the endpoint form's "Introspection endpoint"), held to the rules every endpoint
 * passes: checked here, before the token is sent, as it alone uses that endpoint. The answer
 * never carries the token: members that contain it, or another secret the account holds, are
 * dropped.
 */
import * as oauth from 'oauth4webapi';
import { messageOf } from '../../../shared/errors';
import { endpointUrlProblem } from '../../../shared/url-rules';
import { NetworkFailure } from '../http/http-client';
import { CoreFailure } from '../core-failure';
import { maskProviderText } from '../redaction';
import { withoutSecrets, type JsonObject } from './jwt-claims';
import { requestOptionsFor, type ProviderRuntime } from './provider-runtime';

/** Whether the provider names an introspection endpoint Tokendesk may send a token to. */
export const canIntrospect = (as: oauth.AuthorizationServer): boolean => {
  const url: unknown = as.introspection_endpoint;
  return typeof url === 'string' && endpointUrlProblem(url) === undefined;
};

export interface Introspection {
  readonly active: boolean;
  /** The answer's members but `active`, without the secrets held. */
  readonly claims: JsonObject;
}

const failure = (said: string, extra: { cause?: unknown; traces?: string[] } = {}) =>
  new CoreFailure(
    'introspectionFailed',
    `The provider did not answer the introspection: ${said}.`,
    {
      traces: extra.traces ?? [said],
      ...(extra.cause !== undefined ? { cause: extra.cause } : {}),
    },
  );

/** What went wrong, in the provider's words where it has some, every secret sent masked. */
const introspectionFailure = (error: unknown, sent: readonly string[]): CoreFailure => {
  const mask = (text: string) => maskProviderText(text, sent);
  if (error instanceof NetworkFailure)
    return failure(error.message, { cause: error, traces: [error.message] });
  if (error instanceof oauth.ResponseBodyError) {
    const said = mask(
      error.error_description ? `${error.error}: ${error.error_description}` : error.error,
    );
    // Keycloak, Okta and others answer only confidential clients or resource servers.
    const hint =
      error.error === 'invalid_client' || error.error === 'unauthorized_client'
        ? ' Many providers introspect only for confidential clients (with a client secret) or for the API the token is for'
        : '';
    return new CoreFailure(
      'introspectionFailed',
      `The provider refused the introspection (${said}, HTTP ${error.status}).${hint}`,
      { traces: [`HTTP ${error.status}`, said], oauthError: error.error },
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const said = `HTTP ${error.status}, ${error.cause.map((c) => mask(c.scheme)).join(', ')} challenge`;
    return new CoreFailure(
      'introspectionFailed',
      `The provider refused the introspection (${said}). Many providers introspect only for confidential clients (with a client secret) or for the API the token is for.`,
      { traces: [said] },
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    const cause = (error as { cause?: unknown }).cause;
    const status = cause instanceof Response ? ` (HTTP ${cause.status})` : '';
    return failure(`its answer was not an introspection response${status}`, {
      cause: error,
      traces: [mask(error.message) + status],
    });
  }
  return failure(mask(messageOf(error)), { cause: error });
};

/**
 * The provider's answer about `token`. `held`: every secret of the account and client, dropped
 * from the answer and masked in any error.
 */
export const introspectToken = async (
  runtime: ProviderRuntime,
  token: string,
  held: readonly string[],
): Promise<Introspection> => {
  const url: unknown = runtime.as.introspection_endpoint;
  if (typeof url !== 'string') {
    throw new CoreFailure(
      'introspectionUnavailable',
      `${runtime.config.label} names no introspection endpoint (RFC 7662) in its configuration: only it can read this token.`,
    );
  }
  const problem = endpointUrlProblem(url);
  if (problem !== undefined) {
    const label = runtime.config.label;
    // A typed one passed the rules when saved; the store file itself holds plain strings.
    throw new CoreFailure(
      'discoveryFailed',
      runtime.config.endpoints?.introspection !== undefined
        ? `${label}'s introspection endpoint ${problem}. Nothing was sent to it; edit ${label} to correct it.`
        : `The OpenID configuration of ${label} cannot be used for introspection: its introspection_endpoint ${problem}, as every endpoint typed in Tokendesk must. Nothing was sent to it.`,
      { traces: [`introspection_endpoint ${problem}`] },
    );
  }
  const sent = [
    token,
    ...held,
    ...(runtime.clientSecret !== undefined ? [runtime.clientSecret] : []),
  ];
  let answer: oauth.IntrospectionResponse;
  try {
    const response = await oauth.introspectionRequest(
      runtime.as,
      runtime.client,
      runtime.clientAuth,
      token,
      {
        ...requestOptionsFor(runtime, 'introspection_endpoint'),
        additionalParameters: { token_type_hint: 'access_token' },
      },
    );
    answer = await oauth.processIntrospectionResponse(runtime.as, runtime.client, response);
  } catch (error) {
    throw introspectionFailure(error, sent);
  }
  const { active, ...claims } = answer;
  return { active, claims: withoutSecrets(claims as JsonObject, sent) };
};
