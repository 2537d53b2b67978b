/**
 * The standard shape: the backend stands where the provider's token endpoint would, takes an
 * RFC 6749 token request without the client's authentication (it adds the secret it keeps) and
 * answers with the provider's token answer. So the request is oauth4webapi's, sent to the
 * backend's URL as a public client (`client_id` in the body, the PKCE verifier passed on), with
 * the backend credential as a bearer token; the answer is processed as the provider's, ID token
 * checks included (token-requests.ts).
 *
 * What is the backend's own rather than the provider's (its credential refused, an error page, a
 * redirect, an ErrStatusMsg) is said as the backend's (backend-failure.ts); an OAuth error it
 * passes on (`invalid_grant`, …) is the provider's, and mapped as such.
 */
import * as oauth from 'oauth4webapi';
import { allowsPlainHttp } from '../../../shared/url-rules';
import { peekJson, type FetchLike } from '../http/http-client';
import type { ProviderRuntime, RuntimeBackend } from '../oauth/provider-runtime';
import { backendFailure, type BackendOperation } from './backend-failure';
import { backendHeaders, readAnswer } from './backend-requests';

type Send = (
  as: oauth.AuthorizationServer,
  clientAuth: oauth.ClientAuth,
  options: oauth.TokenEndpointRequestOptions,
) => Promise<Response>;

/** Whether the answer is an OAuth error (RFC 6749 §5.2) the backend passed on from the provider. */
const isOAuthError = async (response: Response): Promise<boolean> => {
  try {
    const body = await peekJson(response);
    return (
      typeof body === 'object' &&
      body !== null &&
      typeof (body as { error?: unknown }).error === 'string'
    );
  } catch {
    return false;
  }
};

export const standardBackendRequest = async (
  runtime: ProviderRuntime,
  backend: RuntimeBackend,
  operation: BackendOperation,
  send: Send,
  /** What the request carried (code and verifier, or refresh token): masked in what it says. */
  sentSecrets: readonly (string | undefined)[],
): Promise<Response> => {
  const url = new URL(backend.url);
  // oauth4webapi keeps the Authorization header to itself (a public client sends none), so the
  // backend credential is added on the way out, by the fetch (the refresh's budget-bound one).
  const base = runtime.requestOptions[oauth.customFetch];
  const withCredential: FetchLike = (input, init) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(backendHeaders(backend))) headers.set(name, value);
    return base(input, { ...init, headers });
  };
  const response = await send({ ...runtime.as, token_endpoint: backend.url }, oauth.None(), {
    [oauth.customFetch]: withCredential,
    ...(allowsPlainHttp(url) ? { [oauth.allowInsecureRequests]: true } : {}),
  });
  const own =
    response.status === 401 ||
    response.status === 403 ||
    (response.status >= 300 && !(await isOAuthError(response)));
  if (!own) return response;
  const { text, parsed: body } = await readAnswer(response.clone());
  throw backendFailure(
    operation,
    response,
    body,
    text,
    [...sentSecrets, backend.credential],
    backend.credential !== undefined,
  );
};
