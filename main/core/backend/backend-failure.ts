/**
 * What a token backend's refusal becomes: an entry of Tokendesk's error table that says what the
 * user can do, with the backend's own words masked. A backend that answers in the `ErrStatusMsg`
 * shape (`{ group, code, message, traces, validationDetail }`, the shape Tokendesk's own errors
 * have) keeps its group/code, message and validationDetail in the error's traces, every
 * `originalValue` masked: it echoes what was sent, which may be the code.
 */
import { z } from 'zod';
import type { ErrorName } from '../../../shared/errors';
import { CoreFailure } from '../core-failure';
import { maskProviderText } from '../redaction';

export type BackendOperation = 'exchange' | 'refresh';

const errStatusMsg = z.object({
  group: z.string(),
  code: z.number(),
  message: z.string().nullish(),
  validationDetail: z
    .array(
      z.object({
        field: z.string().nullish(),
        expression: z.string().nullish(),
        originalValue: z.unknown().optional(),
        reason: z.string().nullish(),
      }),
    )
    .nullish(),
});
type ErrStatusMsg = z.infer<typeof errStatusMsg>;

/** Stands for an `originalValue` in the traces. */
export const MASKED_VALUE = '[masked]';

const MAX_SAID = 300;

/** What a backend's answer says, in a line: its message or error members, or its text. */
const saidIn = (body: unknown, text: string): string | undefined => {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const members = body as Record<string, unknown>;
    const parts = ['error', 'error_description', 'message']
      .map((name) => members[name])
      .filter((value): value is string => typeof value === 'string' && value !== '');
    if (parts.length > 0) return parts.join(': ');
  }
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('<')) return undefined;
  return trimmed.length > MAX_SAID ? `${trimmed.slice(0, MAX_SAID)}…` : trimmed;
};

const isHtml = (response: Response, text: string): boolean =>
  /html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(text);

/** The traces an ErrStatusMsg answer leaves: its group/code, message, validationDetail. */
const errStatusTraces = (error: ErrStatusMsg, mask: (text: string) => string): string[] => [
  `backend error ${error.group}/${error.code}${error.message ? `: ${mask(error.message)}` : ''}`,
  ...(error.validationDetail ?? []).map(
    (detail) =>
      `validationDetail: ${mask(detail.field ?? '')} ${mask(detail.expression ?? '')}: ${mask(detail.reason ?? '')}${detail.originalValue !== undefined ? ` (originalValue ${MASKED_VALUE})` : ''}`,
  ),
];

/** One line for a validationDetail list: "code: is required; provider: is not supported". */
const fieldsSaid = (error: ErrStatusMsg, mask: (text: string) => string): string =>
  (error.validationDetail ?? [])
    .map(
      (detail) =>
        `${mask(detail.field ?? '?')}: ${mask(detail.reason ?? detail.expression ?? 'refused')}`,
    )
    .join('; ');

const upstream = (operation: BackendOperation): ErrorName =>
  operation === 'exchange' ? 'exchangeFailed' : 'refreshFailed';

/** An ErrStatusMsg answer, by its documented rows (GitHub through a backend). */
const fromErrStatusMsg = (
  operation: BackendOperation,
  status: number,
  error: ErrStatusMsg,
  mask: (text: string) => string,
): CoreFailure => {
  const traces = [`HTTP ${status}`, ...errStatusTraces(error, mask)];
  const row = `${error.group}/${error.code}`;
  const words = error.message ? `: “${mask(error.message)}”` : '';
  const fields = fieldsSaid(error, mask);
  switch (row) {
    case 'oauth/0':
      return new CoreFailure(
        'backendRefused',
        `The backend does not exchange codes for this provider (${row}, unsupported provider${words}): check the backend’s shape in the provider’s settings.`,
        { traces },
      );
    case 'oauth/2':
      return new CoreFailure(
        'invalidAuthorizationCode',
        `The backend’s provider rejected the authorization code (${row}${words}): it expired, was used, or was issued for another redirect URI. Check that the redirect URI is the one the backend’s OAuth client registered, then connect again.`,
        { traces },
      );
    case 'request/0':
      return new CoreFailure(
        'backendRefused',
        `The backend refused a field of Tokendesk’s request (${row}, invalid field${fields ? `: ${fields}` : words}): check the backend’s shape in the provider’s settings.`,
        { traces },
      );
    case 'request/1':
      return new CoreFailure(
        'backendRefused',
        `The backend says Tokendesk’s request had no body (${row}, body required${words}): a proxy in between may drop it, or the backend expects another shape.`,
        { traces },
      );
    case 'oauth/1200':
      return new CoreFailure(
        upstream(operation),
        `The backend could not complete the ${operation === 'exchange' ? 'exchange' : 'refresh'} with the provider (${row}, exchange error${words}). Try again.`,
        { traces },
      );
    default:
      return new CoreFailure(
        status >= 500 ? upstream(operation) : 'backendRefused',
        `The backend refused the ${operation === 'exchange' ? 'token exchange' : 'refresh'} (HTTP ${status}, ${row}${words}${fields ? `; ${fields}` : ''}).`,
        { traces },
      );
  }
};

/**
 * A refusal of a refresh token is recognisable only by the provider's words passed on
 * (`invalid_grant`): the shapes name no error for it. Then the account needs reconnecting;
 * anything else is retried.
 */
const refusesRefreshToken = (said: string | undefined): boolean =>
  said !== undefined && /\binvalid_grant\b/.test(said);

/**
 * A backend answer that is not a success: a status outside 2xx, or a 2xx saying
 * `success: false`. `body` is the parsed JSON, if it was JSON; `text` the body as text.
 */
export const backendFailure = (
  operation: BackendOperation,
  response: Response,
  body: unknown,
  text: string,
  sentSecrets: readonly (string | undefined)[],
  hasCredential: boolean,
): CoreFailure => {
  const mask = (value: string): string => maskProviderText(value, sentSecrets);
  const status = response.status;
  const said = (() => {
    const line = saidIn(body, text);
    return line === undefined ? undefined : mask(line);
  })();
  const traces = [`HTTP ${status}`, ...(said !== undefined ? [said] : [])];

  if (status === 401 || status === 403) {
    return new CoreFailure(
      'backendCredentialRefused',
      hasCredential
        ? `The backend refused the backend credential (HTTP ${status}${said ? `: ${said}` : ''}): it is wrong or has expired. Enter it again (Edit the provider).`
        : `The backend wants a credential (HTTP ${status}${said ? `: ${said}` : ''}) and Tokendesk has none for it: enter the backend credential (Edit the provider).`,
      { traces },
    );
  }
  const parsed = errStatusMsg.safeParse(body);
  if (parsed.success && status >= 400)
    return fromErrStatusMsg(operation, status, parsed.data, mask);

  if (status >= 300 && status < 400) {
    return new CoreFailure(
      'backendRefused',
      `The backend answered with a redirect (HTTP ${status}), which Tokendesk does not follow with a code or refresh token: check the backend URL.`,
      { traces },
    );
  }
  if (operation === 'refresh' && refusesRefreshToken(said)) {
    return new CoreFailure(
      'reconnectNeeded',
      `The backend says the provider refused the refresh token (${said}): reconnect the account.`,
      { traces, oauthError: 'invalid_grant' },
    );
  }
  const what = operation === 'exchange' ? 'The token exchange failed' : 'The refresh failed';
  if (status >= 200 && status < 300) {
    // `success: false`: the backend tried and says it failed.
    return new CoreFailure(
      upstream(operation),
      `${what}: the backend answered success: false${said ? ` (${said})` : ''}.`,
      { traces: [...traces, 'success: false'] },
    );
  }
  const page = isHtml(response, text) ? ', an HTML page' : '';
  if (status >= 500) {
    return new CoreFailure(
      upstream(operation),
      `${what}: the backend answered HTTP ${status}${page}${said ? ` (${said})` : ''}. Try again.`,
      { traces },
    );
  }
  return new CoreFailure(
    'backendRefused',
    `The backend refused the ${operation === 'exchange' ? 'token exchange' : 'refresh'} (HTTP ${status}${page}${said ? `: ${said}` : ''}).`,
    { traces },
  );
};
