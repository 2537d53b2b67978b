/**
 * Entra ID's multi-tenant authorities (`common`, `organizations`, `consumers`) issue ID tokens
 * whose `iss` carries the user's tenant ID instead. oauth4webapi compares `iss` with the
 * server's issuer exactly, so for those authorities the expected issuer is taken from the token,
 * after checking it has the issuer's form with a tenant GUID in place of the alias.
 */
import type * as oauth from 'oauth4webapi';
import type { ProviderRuntime } from './provider-runtime';

const ALIASES = ['common', 'organizations', 'consumers'];
const TENANT_ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const escape = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const idTokenIssuer = async (response: Response): Promise<string | undefined> => {
  try {
    const body = (await response.clone().json()) as { id_token?: unknown };
    if (typeof body.id_token !== 'string') return undefined;
    const payload = body.id_token.split('.')[1];
    if (payload === undefined) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iss?: unknown;
    };
    return typeof claims.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
};

export const serverForTokenResponse = async (
  runtime: ProviderRuntime,
  response: Response,
): Promise<oauth.AuthorizationServer> => {
  if (!runtime.preset.quirks.tenantIndependentIssuer) return runtime.as;
  const alias = ALIASES.find((name) => runtime.as.issuer.includes(`/${name}/`));
  if (alias === undefined) return runtime.as;
  const issued = await idTokenIssuer(response);
  if (issued === undefined) return runtime.as;
  const [before, after] = runtime.as.issuer.split(`/${alias}/`) as [string, string];
  const pattern = new RegExp(`^${escape(before)}/${TENANT_ID}/${escape(after)}$`);
  return pattern.test(issued) ? { ...runtime.as, issuer: issued } : runtime.as;
};
