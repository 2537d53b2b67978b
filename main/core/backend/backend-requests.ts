/**
 * Code exchange and refresh through a token backend of the Google or GitHub shape: a JSON POST
 * to the backend (with the user's backend credential as a bearer token, when there is one), its
 * answer read by backend-answer.ts or its refusal by backend-failure.ts. The standard shape is an
 * RFC 6749 token endpoint and goes through oauth4webapi instead (token-requests.ts).
 *
 * Each request goes through the provider's fetch (time limit, size cap, the refresh's budget), is
 * never redirected (a redirect would carry the code or refresh token elsewhere), and what it sent
 * (code, refresh token, credential) is masked in anything the backend says back.
 */
import { backendCallUrl, type BackendShape } from '../../../shared/providers';
import { CoreFailure } from '../core-failure';
import { tokenEndpointFailure } from '../oauth/token-endpoint-failure';
import type { ProviderRuntime, RuntimeBackend } from '../oauth/provider-runtime';
import type { TokenSet } from '../oauth/token-set';
import { maskProviderText } from '../redaction';
import {
  githubStyleAnswer,
  githubStyleTokens,
  googleStyleAnswer,
  googleStyleTokens,
  UnusableBackendAnswer,
} from './backend-answer';
import { backendFailure, type BackendOperation } from './backend-failure';

/** The headers every backend request carries; the credential as a bearer token when given. */
export const backendHeaders = (backend: RuntimeBackend): Record<string, string> => ({
  accept: 'application/json',
  ...(backend.credential !== undefined ? { authorization: `Bearer ${backend.credential}` } : {}),
});

/** A backend's answer as text, and parsed when it is JSON (undefined when it is not). */
export const readAnswer = async (
  response: Response,
): Promise<{ readonly text: string; readonly parsed: unknown }> => {
  const text = await response.text().catch(() => '');
  try {
    return { text, parsed: JSON.parse(text) as unknown };
  } catch {
    return { text, parsed: undefined };
  }
};

/** What a Google- or GitHub-style backend takes for a code exchange (JSON). */
export const exchangeBody = (shape: BackendShape, code: string): Record<string, string> =>
  shape === 'github-style' ? { provider: 'github', code } : { code };

/** Posts `body` as JSON to the shape's URL for `operation`; answers the parsed success answer. */
const post = async (
  runtime: ProviderRuntime,
  backend: RuntimeBackend,
  operation: BackendOperation,
  body: Record<string, string>,
  sentSecrets: readonly (string | undefined)[],
): Promise<unknown> => {
  const response = await runtime.fetch(backendCallUrl(backend.url, backend.shape, operation), {
    method: 'POST',
    headers: { ...backendHeaders(backend), 'content-type': 'application/json' },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
  const { text, parsed } = await readAnswer(response);
  const success =
    typeof parsed === 'object' &&
    parsed !== null &&
    (parsed as { success?: unknown }).success === false
      ? false
      : response.status >= 200 && response.status < 300;
  if (!success)
    throw backendFailure(
      operation,
      response,
      parsed,
      text,
      sentSecrets,
      backend.credential !== undefined,
    );
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const what = /^\s*</.test(text)
      ? 'an HTML page'
      : parsed === undefined
        ? 'text that is not JSON'
        : 'JSON that is not an object';
    throw new UnusableBackendAnswer(`it answered HTTP ${response.status} with ${what}`);
  }
  return parsed;
};

/**
 * A 2xx that is not a token answer. Like a provider's unreadable answer (token-endpoint-failure.ts)
 * it counts as lost: a captive portal's page stands where the answer should be, and the one retry
 * of a refresh is right for it.
 */
const unusable = (
  operation: BackendOperation,
  error: UnusableBackendAnswer,
  mask: (text: string) => string,
) =>
  new CoreFailure(
    'backendUnusable',
    `The ${operation === 'exchange' ? 'token exchange' : 'refresh'} failed: the backend ${mask(error.message)}, not a token answer of the shape chosen. Check the backend’s shape in the provider’s settings.`,
    { traces: [mask(error.message)], network: 'lost', cause: error },
  );

const through = async (
  operation: BackendOperation,
  sentSecrets: readonly (string | undefined)[],
  work: () => Promise<TokenSet>,
): Promise<TokenSet> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnusableBackendAnswer)
      throw unusable(operation, error, (text) => maskProviderText(text, sentSecrets));
    // Network failures, time-outs, unusable tokens: as for the provider's own token endpoint.
    throw tokenEndpointFailure(operation, error, sentSecrets);
  }
};

/** Exchanges an authorization code through a Google- or GitHub-style backend. */
export const exchangeThroughBackend = (
  runtime: ProviderRuntime,
  backend: RuntimeBackend,
  code: string,
  now: () => number,
): Promise<TokenSet> => {
  const secrets = [code, backend.credential];
  return through('exchange', secrets, async () => {
    const sentAt = now();
    const answer = await post(
      runtime,
      backend,
      'exchange',
      exchangeBody(backend.shape, code),
      secrets,
    );
    if (backend.shape === 'github-style') {
      const parsed = githubStyleAnswer.safeParse(answer);
      if (!parsed.success)
        throw new UnusableBackendAnswer('answered an accessToken that is not a string');
      return githubStyleTokens(parsed.data, sentAt);
    }
    return googleStyleTokens(readGoogleStyle(answer), sentAt);
  });
};

/** Refreshes through a Google-style backend (the GitHub shape has no refresh). */
export const refreshThroughBackend = (
  runtime: ProviderRuntime,
  backend: RuntimeBackend,
  refreshToken: string,
  now: () => number,
): Promise<TokenSet> => {
  const secrets = [refreshToken, backend.credential];
  return through('refresh', secrets, async () => {
    if (backend.shape === 'github-style') {
      throw new CoreFailure(
        'noRefreshToken',
        'The backend (GitHub shape) does not refresh tokens: reconnect the account.',
      );
    }
    const sentAt = now();
    const answer = await post(
      runtime,
      backend,
      'refresh',
      { refresh_token: refreshToken },
      secrets,
    );
    return googleStyleTokens(readGoogleStyle(answer), sentAt);
  });
};

const readGoogleStyle = (answer: unknown) => {
  const parsed = googleStyleAnswer.safeParse(answer);
  if (!parsed.success) {
    const member = parsed.error.issues[0]?.path.join('.') ?? 'a member';
    throw new UnusableBackendAnswer(`answered ${member} of the wrong type`);
  }
  return parsed.data;
};
