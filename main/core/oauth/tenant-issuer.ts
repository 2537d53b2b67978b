/**
 * The issuer a token response's ID token may carry, where a provider writes it otherwise than
 * its discovery issuer.
 *
 * Google documents the `iss` of its ID tokens as `https://accounts.google.com` or
 * `accounts.google.com`: for its preset the issuer without the scheme is the same issuer.
 *
 * Entra ID puts the tenant's GUID in every ID token's `iss`, whatever named the authority: the
 * multi-tenant aliases (`common`, `organizations`, `consumers`), a tenant domain
 * (`contoso.onmicrosoft.com`) or the GUID itself in any case. oauth4webapi compares `iss` with the
 * server's issuer exactly, so for those authorities the expected issuer is taken from the token,
 * after checking it has the issuer's form with a tenant GUID in place of the authority.
 */
import type * as oauth from 'oauth4webapi';
import { peekJson } from '../http/http-client';
import type { ProviderRuntime } from './provider-runtime';

const TENANT_ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const IS_TENANT_ID = new RegExp(`^${TENANT_ID}$`);

const escape = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** GUIDs are case-insensitive; Entra writes them in lower case, users paste either. */
const sameTenant = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The claims of the token response's ID token, read without any check (oauth4webapi makes those
 * afterwards), or undefined when there is none or it is not readable.
 */
export const peekIdTokenClaims = async (
  response: Response,
): Promise<Readonly<Record<string, unknown>> | undefined> => {
  try {
    const body = (await peekJson(response)) as { id_token?: unknown };
    if (typeof body.id_token !== 'string') return undefined;
    const payload = body.id_token.split('.')[1];
    if (payload === undefined) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** The issuer as Google also writes it: without `https://` (or `http://`, a local stand-in). */
const withoutScheme = (issuer: string): string => issuer.replace(/^https?:\/\//, '');

export const serverForTokenResponse = async (
  runtime: ProviderRuntime,
  response: Response,
): Promise<oauth.AuthorizationServer> => {
  if (runtime.preset.quirks.issuerWithoutScheme) {
    const issued = (await peekIdTokenClaims(response))?.iss;
    // Only that one other spelling: any other `iss` is still refused by oauth4webapi.
    return issued !== runtime.as.issuer && issued === withoutScheme(runtime.as.issuer)
      ? { ...runtime.as, issuer: issued }
      : runtime.as;
  }
  if (!runtime.preset.quirks.tenantIndependentIssuer) return runtime.as;
  // The authority as it stands in the issuer (provider-runtime fills `{tenant}` encoded).
  const authority = encodeURIComponent(runtime.config.tenant ?? 'common');
  const marker = `/${authority}/`;
  const at = runtime.as.issuer.indexOf(marker);
  if (at === -1) return runtime.as;
  const claims = await peekIdTokenClaims(response);
  const issued = claims?.iss;
  if (typeof issued !== 'string' || issued === runtime.as.issuer) return runtime.as;

  const before = runtime.as.issuer.slice(0, at);
  const after = runtime.as.issuer.slice(at + marker.length);
  const match = new RegExp(`^${escape(before)}/(${TENANT_ID})/${escape(after)}$`).exec(issued);
  const issuedTenant = match?.[1];
  if (issuedTenant === undefined) return runtime.as;

  const accepted = IS_TENANT_ID.test(authority)
    ? // A tenant ID: the same tenant, written in another case.
      sameTenant(issuedTenant, authority)
    : // An alias or a domain: any tenant's GUID may stand in (the domain's GUID cannot be known
      // without asking Entra), and the token's own `tid` must name that same tenant.
      typeof claims?.tid === 'string' && sameTenant(claims.tid, issuedTenant);
  return accepted ? { ...runtime.as, issuer: issued } : runtime.as;
};
