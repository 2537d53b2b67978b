/**
 * OpenID Connect discovery, cached per issuer so a connect or refresh does not fetch the
 * metadata every time; a failure is never cached.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 */
import * as oauth from 'oauth4webapi';
import { allowsPlainHttp } from '../../../shared/url-rules';
import type { FetchLike } from '../http/http-client';
import { CoreFailure } from '../core-failure';
import { assertUsableEndpoints } from './server-endpoints';

const CACHE_MS = 60 * 60 * 1000;

export const createDiscovery = (now: () => number) => {
  const cache = new Map<string, { server: oauth.AuthorizationServer; at: number }>();
  return async (issuer: string, fetch: FetchLike): Promise<oauth.AuthorizationServer> => {
    const hit = cache.get(issuer);
    if (hit && now() - hit.at < CACHE_MS) return hit.server;
    const issuerUrl = new URL(issuer);
    let server: oauth.AuthorizationServer;
    try {
      const response = await oauth.discoveryRequest(issuerUrl, {
        algorithm: 'oidc',
        [oauth.customFetch]: fetch,
        ...(allowsPlainHttp(issuerUrl) ? { [oauth.allowInsecureRequests]: true } : {}),
      });
      server = await oauth.processDiscoveryResponse(issuerUrl, response);
      // Valid metadata can still leave out what a connect needs; say so now, not mid-connect.
      for (const field of ['authorization_endpoint', 'token_endpoint'] as const) {
        if (typeof server[field] !== 'string') throw new Error(`the metadata names no ${field}`);
      }
    } catch (error) {
      // oauth4webapi's words for a non-200 answer name no status; the status is what tells why.
      const cause = (error as { cause?: unknown }).cause;
      const reason =
        error instanceof oauth.OperationProcessingError && cause instanceof Response
          ? `the server answered HTTP ${cause.status} instead of the metadata`
          : error instanceof Error
            ? error.message
            : String(error);
      throw new CoreFailure(
        'discoveryFailed',
        `The OpenID configuration of ${issuer} could not be read (${reason}).`,
        {
          traces: [reason],
          cause: error,
        },
      );
    }
    // The document's endpoints pass the rules typed ones do (no plain http off the machine, no
    // other scheme for the consent window to open): refused, and not cached, so a corrected
    // document works on the next try.
    assertUsableEndpoints(server, { discoveredFrom: issuer });
    cache.set(issuer, { server, at: now() });
    return server;
  };
};
