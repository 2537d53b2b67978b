/**
 * Provider quirks that live at the HTTP level, applied before oauth4webapi sees a response so
 * the library's own validation and error classes work unchanged.
 */
import type { ProviderQuirks } from '../../../shared/providers';
import { maskSentSecrets } from '../redaction';
import { peekJson, type FetchLike } from './http-client';

const isForm = (contentType: string | null): boolean =>
  contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') === true;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const jsonResponse = (status: number, body: unknown, headers: Headers): Response => {
  const out = new Headers(headers);
  out.set('content-type', 'application/json');
  out.delete('content-length');
  return new Response(JSON.stringify(body), { status, headers: out });
};

/**
 * Optional members of a token answer (RFC 6749 §5.1, OpenID Connect, GitHub's
 * `refresh_token_expires_in`). Jackson-style serializers send an absent one as `null` or `""`,
 * and oauth4webapi then refuses the whole answer ("must be a string / a number"): the tokens the
 * provider just issued would be lost, and on a refresh the old, possibly rotated, refresh token
 * would be sent again. null and "" mean "not given", so they are dropped.
 */
const OPTIONAL_TOKEN_MEMBERS = [
  'refresh_token',
  'scope',
  'expires_in',
  'id_token',
  'refresh_token_expires_in',
] as const;

/** Members of an error answer written by the provider, which may echo what it refused. */
const ERROR_MEMBERS = ['error', 'error_description', 'error_uri'] as const;

/** Request parameters (RFC 6749, RFC 7523, RFC 7636) whose value is a secret. */
const SECRET_PARAMETERS = [
  'code',
  'code_verifier',
  'refresh_token',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
];

const decodeFormValue = (value: string): string => {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
};

/**
 * The secrets a token request carried: oauth4webapi passes the form as URLSearchParams and the
 * client secret either in it (client_secret_post) or in HTTP Basic credentials.
 */
const sentSecrets = (init: RequestInit | undefined): string[] => {
  const secrets: string[] = [];
  const body = init?.body;
  const form =
    body instanceof URLSearchParams
      ? body
      : typeof body === 'string'
        ? new URLSearchParams(body)
        : undefined;
  for (const name of SECRET_PARAMETERS) secrets.push(...(form?.getAll(name) ?? []));
  const authorization = new Headers(init?.headers).get('authorization');
  const basic = authorization === null ? null : /^Basic\s+(\S+)$/i.exec(authorization);
  if (basic?.[1] !== undefined) {
    secrets.push(basic[1]);
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) secrets.push(decodeFormValue(decoded.slice(colon + 1)));
  }
  return secrets.filter((secret) => secret !== '');
};

const sameUrl = (a: string, b: string): boolean => {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

/**
 * Every token-endpoint answer, for every provider:
 * - the provider's error text (body members, WWW-Authenticate challenge) loses any secret the
 *   request sent: servers such as legacy Spring Security OAuth answer
 *   `Invalid refresh token: <the token>`, and that text would become the account's error, stored
 *   in clear and shown in the renderer. Masked here because only this layer sees the request;
 *   token-endpoint-failure.ts masks token-shaped strings on top.
 * - a success loses its optional members sent as null or "" (see OPTIONAL_TOKEN_MEMBERS).
 *
 * GitHub's token endpoint answers errors with HTTP 200 (`{"error":"bad_verification_code"}`)
 * and, without `Accept: application/json`, form-encoded bodies. Both are rewritten into the
 * RFC 6749 shape: form → JSON, and a 200 carrying `error` without `access_token` → HTTP 400.
 *
 * An answer that needs none of this is passed on as it came.
 */
export const withTokenQuirks =
  (quirks: ProviderQuirks, tokenEndpoint: string, base: FetchLike): FetchLike =>
  async (input, init) => {
    const response = await base(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // oauth4webapi fetches `new URL(endpoint).href` (host lower-cased, default port dropped),
    // while the configuration keeps the endpoint as typed: compare them parsed.
    if (!sameUrl(url, tokenEndpoint)) return response;
    // Worked out only when there is provider text to mask: a success has none.
    let sent: string[] | undefined;
    const secrets = (): string[] => (sent ??= sentSecrets(init));

    let headers = response.headers;
    let changed = false;
    const challenge = headers.get('www-authenticate');
    if (challenge !== null) {
      const masked = maskSentSecrets(challenge, secrets());
      if (masked !== challenge) {
        headers = new Headers(headers);
        headers.set('www-authenticate', masked);
        changed = true;
      }
    }

    let body: unknown;
    const formEncoded =
      response.status === 200 &&
      quirks.tokenErrorsWithHttp200 === true &&
      isForm(response.headers.get('content-type'));
    if (formEncoded) {
      body = Object.fromEntries(new URLSearchParams(await response.clone().text()));
    } else {
      body = await peekJson(response).catch(() => undefined);
    }
    if (!isRecord(body)) {
      return changed
        ? new Response(response.body, {
            status: response.status,
            statusText: response.statusText,
            headers,
          })
        : response;
    }

    const record = body;
    for (const name of ERROR_MEMBERS) {
      const value = record[name];
      if (typeof value !== 'string') continue;
      const masked = maskSentSecrets(value, secrets());
      if (masked !== value) {
        record[name] = masked;
        changed = true;
      }
    }
    if (response.status !== 200)
      return changed ? jsonResponse(response.status, record, headers) : response;

    for (const name of OPTIONAL_TOKEN_MEMBERS) {
      if (record[name] === null || record[name] === '') {
        delete record[name];
        changed = true;
      }
    }
    if (typeof record.scope === 'string' && quirks.commaSeparatedScopes === true) {
      const spaced = record.scope.split(',').filter(Boolean).join(' ');
      if (spaced !== record.scope) {
        record.scope = spaced;
        changed = true;
      }
    }
    const refused =
      quirks.tokenErrorsWithHttp200 === true &&
      typeof record.error === 'string' &&
      record.access_token === undefined;
    if (!changed && !formEncoded && !refused) return response;
    return jsonResponse(refused ? 400 : 200, record, headers);
  };
