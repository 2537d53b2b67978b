/**
 * Provider quirks that live at the HTTP level, applied before oauth4webapi sees a response so
 * the library's own validation and error classes work unchanged.
 */
import type { ProviderQuirks } from '../../../shared/providers';
import type { FetchLike } from './http-client';

const isForm = (contentType: string | null): boolean =>
  contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') === true;

const jsonResponse = (status: number, body: unknown, headers: Headers): Response => {
  const out = new Headers(headers);
  out.set('content-type', 'application/json');
  out.delete('content-length');
  return new Response(JSON.stringify(body), { status, headers: out });
};

/**
 * GitHub's token endpoint answers errors with HTTP 200 (`{"error":"bad_verification_code"}`)
 * and, without `Accept: application/json`, form-encoded bodies. Both are rewritten into the
 * RFC 6749 shape: form → JSON, and a 200 carrying `error` without `access_token` → HTTP 400.
 */
export const withTokenQuirks =
  (quirks: ProviderQuirks, tokenEndpoint: string, base: FetchLike): FetchLike =>
  async (input, init) => {
    const response = await base(input, init);
    if (!quirks.tokenErrorsWithHttp200 && !quirks.commaSeparatedScopes) return response;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url !== tokenEndpoint || response.status !== 200) return response;

    let body: unknown;
    if (quirks.tokenErrorsWithHttp200 && isForm(response.headers.get('content-type'))) {
      body = Object.fromEntries(new URLSearchParams(await response.text()));
    } else {
      try {
        body = await response.clone().json();
      } catch {
        return response;
      }
    }
    if (typeof body !== 'object' || body === null) return response;
    const record = body as Record<string, unknown>;
    if (typeof record.scope === 'string' && quirks.commaSeparatedScopes) {
      record.scope = record.scope.split(',').filter(Boolean).join(' ');
    }
    const refused =
      quirks.tokenErrorsWithHttp200 &&
      typeof record.error === 'string' &&
      record.access_token === undefined;
    const status = refused ? 400 : 200;
    return jsonResponse(status, record, response.headers);
  };
