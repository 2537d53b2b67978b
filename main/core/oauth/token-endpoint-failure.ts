/**
 * What a failed token-endpoint call (code exchange, refresh) becomes: the error-table entry that
 * says what the user can do, with the provider's own words, masked, in the message and traces.
 */
import * as oauth from 'oauth4webapi';
import { ClientCertificateRefused, NetworkFailure } from '../http/http-client';
import { CoreFailure } from '../core-failure';
import { maskProviderText } from '../redaction';
import { UnusableTokenAnswer } from './token-set';
import { messageOf } from '../../../shared/errors';

/**
 * What a failed token-endpoint call was trying to do; decides which error a failure maps to.
 * `client-credentials`: a machine account's token (machine-token.ts); a passing fault is
 * `refreshFailed` (retried like a refresh), a refusal `machineTokenRefused` or `invalidClient`.
 */
export type TokenOperation = 'exchange' | 'refresh' | 'client-credentials';

/**
 * `error: description`, as the provider said it, with secrets masked: some servers echo the
 * refresh token or code they refused in the description, and this text becomes the account's
 * `lastError` (clear-text store) and reaches the renderer, which never receives a secret.
 */
const describe = (
  error: string,
  description: string | undefined,
  sentSecrets: readonly (string | undefined)[],
): string => maskProviderText(description ? `${error}: ${description}` : error, sentSecrets);

/**
 * Maps whatever oauth4webapi or the HTTP layer threw during a token-endpoint call onto the
 * error table. The provider's own words travel in `traces` and in the message, masked.
 *
 * `sentSecrets`: the secrets the request carried (refresh token, code, code verifier, client
 * secret). oauth4webapi's errors carry the response, never the request, so only the caller knows
 * them; they are masked whatever their length, where the shape rules would miss a short one.
 */
export const tokenEndpointFailure = (
  operation: TokenOperation,
  error: unknown,
  sentSecrets: readonly (string | undefined)[] = [],
): CoreFailure => {
  if (error instanceof CoreFailure) return error;
  const upstream = operation === 'exchange' ? 'exchangeFailed' : 'refreshFailed';
  const mask = (text: string): string => maskProviderText(text, sentSecrets);

  // A refresh answered with tokens that cannot be used: a rotating server has already spent
  // the refresh token sent, so trying it again (the background timer's retry) would count as
  // reuse. Reconnecting is the way out, as for a refused refresh token.
  if (error instanceof UnusableTokenAnswer && operation === 'refresh') {
    return new CoreFailure(
      'reconnectNeeded',
      `The provider answered the refresh with something Tokendesk cannot use: ${error.message} Reconnect the account.`,
      { traces: [error.message], cause: error },
    );
  }

  if (error instanceof ClientCertificateRefused) {
    return new CoreFailure(
      'clientCertificateRejected',
      `${operationLabel(operation)}: ${error.message}.`,
      {
        traces: [error.message],
        network: error.kind,
        cause: error,
      },
    );
  }
  if (error instanceof NetworkFailure) {
    return new CoreFailure(upstream, `${operationLabel(operation)}: ${error.message}.`, {
      traces: [error.message],
      network: error.kind,
      cause: error,
    });
  }
  if (error instanceof oauth.ResponseBodyError) {
    const said = describe(error.error, error.error_description, sentSecrets);
    const traces = [`HTTP ${error.status}`, said];
    const clientRefused =
      error.error === 'invalid_client' ||
      error.error === 'incorrect_client_credentials' ||
      error.error === 'unauthorized_client';
    if (operation === 'client-credentials' && !clientRefused) {
      // invalid_scope, invalid_target, invalid_request …: what the account asks for, not the
      // client's credentials, is what the provider refused.
      return new CoreFailure(
        'machineTokenRefused',
        `The provider refused to issue a token with the client credentials grant (${said}): check the scopes, audience and resources this client may ask for.`,
        { traces, oauthError: error.error },
      );
    }
    if (
      error.error === 'invalid_grant' ||
      error.error === 'bad_verification_code' ||
      error.error === 'bad_refresh_token'
    ) {
      return operation === 'exchange'
        ? new CoreFailure(
            'invalidAuthorizationCode',
            `The provider rejected the authorization code (${said}).`,
            {
              traces,
              oauthError: error.error,
            },
          )
        : new CoreFailure(
            'reconnectNeeded',
            `The provider refused the refresh token (${said}): reconnect the account.`,
            {
              traces,
              oauthError: error.error,
            },
          );
    }
    if (clientRefused) {
      return new CoreFailure(
        'invalidClient',
        `The provider rejected the client credentials (${said}): check the client ID and ${operation === 'client-credentials' ? 'its secret or private key' : 'secret'}.`,
        {
          traces,
          oauthError: error.error,
        },
      );
    }
    return new CoreFailure(
      upstream,
      `${operationLabel(operation)}: the provider answered ${said}.`,
      {
        traces,
        oauthError: error.error,
      },
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    // A 401 with a challenge is the token endpoint refusing the client's authentication; the
    // challenge's own error parameters (RFC 6749 §5.2, RFC 6750 §3) say how, when it has them.
    const challenge = error.cause.find((c) => typeof c.parameters.error === 'string');
    const said =
      challenge?.parameters.error !== undefined
        ? describe(challenge.parameters.error, challenge.parameters.error_description, sentSecrets)
        : `HTTP ${error.status}, ${error.cause.map((c) => mask(c.scheme)).join(', ')} challenge`;
    return new CoreFailure(
      'invalidClient',
      `The provider rejected the client credentials (${said}): check the client ID and ${operation === 'client-credentials' ? 'its secret or private key' : 'secret'}.`,
      {
        traces: [`HTTP ${error.status}`, said],
        ...(challenge?.parameters.error !== undefined
          ? { oauthError: challenge.parameters.error }
          : {}),
      },
    );
  }
  if (
    error instanceof oauth.OperationProcessingError &&
    (error.code === oauth.JWT_CLAIM_COMPARISON || error.code === oauth.JWT_TIMESTAMP_CHECK)
  ) {
    // The ID token is for another issuer, client or sign-in, or outside its validity: not a
    // transport problem, and the tokens must not be used (a mix-up or replay looks like this).
    const claim = (error.cause as { claim?: unknown } | undefined)?.claim;
    return new CoreFailure(
      upstream,
      `${operationLabel(operation)}: the ID token in the provider's answer failed its check${typeof claim === 'string' ? ` (“${claim}” claim)` : ''}: ${error.message}. Check the issuer URL and client ID, and the computer's clock.`,
      { traces: [error.message], cause: error },
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    const response = (error as { cause?: unknown }).cause;
    const status = response instanceof Response ? ` (HTTP ${response.status})` : '';
    // An OAuth error inside an HTTP 200 from a provider not known to do that (GitHub's habit is
    // rewritten earlier): still a malformed answer, but the message carries the provider's words.
    // No token was issued, so the one retry cannot spend one: it stays retryable.
    const said = oauthErrorInBody(response, sentSecrets);
    if (said !== undefined) {
      return new CoreFailure(
        upstream,
        `${operationLabel(operation)}: the provider answered HTTP 200 without a token (${said}).`,
        { traces: [mask(error.message), said], network: 'lost', cause: error },
      );
    }
    return new CoreFailure(
      upstream,
      `${operationLabel(operation)}: the provider's answer was not a valid token response${status}.`,
      {
        traces: [mask(error.message) + status],
        ...(answerUnreadable(error, response) ? { network: 'lost' as const } : {}),
        cause: error,
      },
    );
  }
  const message = mask(messageOf(error));
  return new CoreFailure(upstream, `${operationLabel(operation)}: ${message}`, {
    traces: [message],
    cause: error,
  });
};

/**
 * Whether a rejected success answer counts as lost (the refresher then retries once with the
 * same refresh token). Only an answer that could not be read as JSON does: a captive portal's
 * page, a garbled body — the request may or may not have reached the provider. A JSON answer
 * that arrived whole but failed oauth4webapi's checks (a member of the wrong type, a bad ID
 * token) was the provider's processed answer: if it carried new tokens, a rotating server has
 * already spent the old refresh token, and sending it again counts as reuse, which revokes the
 * grant. That is a provider error, reported as such and not retried.
 */
const answerUnreadable = (error: oauth.OperationProcessingError, cause: unknown): boolean => {
  if (cause instanceof Response) return cause.status < 300;
  return error.code === oauth.PARSE_ERROR;
};

/** `error: description` from the parsed body oauth4webapi attaches to a failed assertion. */
const oauthErrorInBody = (
  cause: unknown,
  sentSecrets: readonly (string | undefined)[],
): string | undefined => {
  if (typeof cause !== 'object' || cause === null || !('body' in cause)) return undefined;
  const body = (cause as { body?: unknown }).body;
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, error_description: description } = body as Record<string, unknown>;
  if (typeof error !== 'string' || error === '') return undefined;
  return describe(error, typeof description === 'string' ? description : undefined, sentSecrets);
};

const operationLabel = (operation: TokenOperation): string =>
  operation === 'exchange'
    ? 'The token exchange failed'
    : operation === 'refresh'
      ? 'The refresh failed'
      : 'The client credentials token request failed';
