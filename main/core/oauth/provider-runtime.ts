/**
 * Turns a saved provider configuration plus its preset into what oauth4webapi needs: the
 * authorization server metadata, the client, its authentication and the request options.
 */
import * as oauth from 'oauth4webapi';
import type { Endpoints, ProviderPreset } from '../../../shared/providers';
import { presetAt } from '../../../shared/provider-instance';
import {
  allowsPlainHttp,
  backendRedirectUriProblem,
  issuerUrlProblem,
} from '../../../shared/url-rules';
import type { ClientCertificate, ClientCertificateFetch } from '../http/client-certificate-fetch';
import { createLimitedFetch, type FetchLike, type HttpLimits } from '../http/http-client';
import { withTokenQuirks } from '../http/provider-fetch';
import type { StoredProviderConfig } from '../storage/store-schema';
import { CoreFailure } from '../core-failure';
import { storedClientKey } from './client-key';
import { assertUsableEndpoints } from './server-endpoints';

export interface ProviderRuntime {
  readonly config: StoredProviderConfig;
  readonly preset: ProviderPreset;
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly clientAuth: oauth.ClientAuth;
  readonly clientSecret: string | undefined;
  /**
   * What every oauth4webapi request to this provider shares (the fetch). Whether one may go over
   * plain http is decided per request: `requestOptionsFor`.
   */
  readonly requestOptions: {
    readonly [oauth.customFetch]: FetchLike;
  };
  readonly fetch: FetchLike;
  /**
   * Set for a provider whose token exchange goes through a backend: codes and refresh tokens go
   * there (main/core/backend), never to the token endpoint; `credential` is the bearer token the
   * backend wants, when the user gave one.
   */
  readonly backend?: RuntimeBackend;
}

export interface RuntimeBackend extends NonNullable<StoredProviderConfig['backend']> {
  readonly credential?: string;
}

const fillTenant = (template: string, tenant: string | undefined): string =>
  template.replaceAll('{tenant}', encodeURIComponent(tenant ?? 'common'));

/**
 * `secret`: the client's credential as stored, the client secret or, for private_key_jwt, the
 * private key's text (ProviderDirectory refuses a runtime that needs one and has none).
 */
const clientAuthFor = async (
  config: StoredProviderConfig,
  secret: string | undefined,
): Promise<oauth.ClientAuth> => {
  const method = config.clientAuth;
  if (method === 'none' || secret === undefined) return oauth.None();
  if (method === 'private_key_jwt')
    return oauth.PrivateKeyJwt(await storedClientKey(secret, config.keyId, config.label));
  return method === 'client_secret_basic'
    ? oauth.ClientSecretBasic(secret)
    : oauth.ClientSecretPost(secret);
};

/** Configured endpoints as metadata members, the tenant filled in. */
const staticEndpoints = (endpoints: Endpoints, tenant?: string) => ({
  authorization_endpoint: fillTenant(endpoints.authorization, tenant),
  token_endpoint: fillTenant(endpoints.token, tenant),
  ...(endpoints.revocation
    ? { revocation_endpoint: fillTenant(endpoints.revocation, tenant) }
    : {}),
  ...(endpoints.userinfo ? { userinfo_endpoint: fillTenant(endpoints.userinfo, tenant) } : {}),
  // Held to the URL rules by introspection.ts before anything is sent (it alone uses it).
  ...(endpoints.introspection
    ? { introspection_endpoint: fillTenant(endpoints.introspection, tenant) }
    : {}),
  ...(endpoints.deviceAuthorization
    ? { device_authorization_endpoint: fillTenant(endpoints.deviceAuthorization, tenant) }
    : {}),
});

/**
 * Servers whose `issuer` Tokendesk made up: a configuration with endpoints and no issuer (the
 * custom OAuth 2.0 preset, GitHub). oauth4webapi needs some issuer string, but the endpoints'
 * origin is only a guess (Keycloak's issuer is https://host/realms/<realm>, authentik's
 * https://host/application/o/<slug>/), so nothing the server says may be compared with it: the
 * callback's `iss` (callback.ts) and ID tokens (token-requests.ts) are not checked against it.
 */
const guessedIssuers = new WeakSet<oauth.AuthorizationServer>();

/** Whether `as.issuer` is a placeholder rather than an issuer the preset or the user named. */
export const hasGuessedIssuer = (as: oauth.AuthorizationServer): boolean => guessedIssuers.has(as);

/** Whether the authorization request asks for an ID token (and so sends a nonce). */
export const asksForIdToken = (runtime: Pick<ProviderRuntime, 'preset' | 'config'>): boolean =>
  runtime.preset.protocol === 'oidc' && runtime.config.scopes.includes('openid');

export interface RuntimeDeps {
  readonly limits: HttpLimits;
  readonly baseFetch?: FetchLike;
  /**
   * Builds the fetch of a provider with a client certificate (mTLS), which replaces `baseFetch`
   * for all of its requests (http/client-certificate-fetch.ts). Absent: one with Node's defaults.
   */
  readonly clientCertificateFetch?: (credentials: ClientCertificate) => ClientCertificateFetch;
  /** Reads `/.well-known/openid-configuration` (cached by the caller). */
  readonly discover: (issuer: string, fetch: FetchLike) => Promise<oauth.AuthorizationServer>;
}

export const resolveProviderRuntime = async (
  config: StoredProviderConfig,
  presetAsShipped: ProviderPreset,
  clientSecret: string | undefined,
  deps: RuntimeDeps,
  backendCredential?: string,
): Promise<ProviderRuntime> => {
  if (config.backend !== undefined) {
    // Typed ones passed these rules when saved; the store file itself holds plain strings.
    const problem =
      issuerUrlProblem(config.backend.url) ?? backendRedirectUriProblem(config.backend.redirectUri);
    if (problem !== undefined)
      throw new CoreFailure(
        'providerNotConfigured',
        `Tokendesk cannot use the token backend stored for ${config.label}: its URL or redirect URI ${problem}. Edit the provider; nothing was sent.`,
        { traces: [problem] },
      );
  }
  const limited = createLimitedFetch(deps.limits, deps.baseFetch);
  // A self-managed instance (GitLab): the preset with its URLs on the instance's server.
  const preset = presetAt(presetAsShipped, config.issuer);
  const issuer = preset !== presetAsShipped ? preset.issuer : (config.issuer ?? preset.issuer);
  const endpoints = config.endpoints ?? preset.endpoints;

  let as: oauth.AuthorizationServer;
  if (endpoints) {
    // Static endpoints: no discovery round-trip; the issuer is what ID tokens must carry. Without
    // one, the origin stands in only because oauth4webapi needs a string (see guessedIssuers).
    const members = staticEndpoints(endpoints, config.tenant);
    // Typed ones passed the rules when saved; the store file itself holds plain strings (written
    // by hand, or by a Tokendesk with other rules).
    assertUsableEndpoints(members, { configuredIn: config.label });
    as = {
      issuer: fillTenant(issuer ?? new URL(endpoints.authorization).origin, config.tenant),
      ...members,
      code_challenge_methods_supported: ['S256'],
    };
    if (issuer === undefined) guessedIssuers.add(as);
  } else if (issuer) {
    const discoveredFrom = fillTenant(issuer, config.tenant);
    as = await deps.discover(discoveredFrom, limited);
    // discover checks before caching; checked here too, whatever discover a caller passed.
    assertUsableEndpoints(as, { discoveredFrom });
  } else {
    throw new CoreFailure(
      'unsupportedProvider',
      'This provider has neither an issuer nor endpoints.',
    );
  }

  const fetch = withTokenQuirks(preset.quirks, as.token_endpoint ?? '', limited);
  return {
    config,
    preset,
    as,
    client: { client_id: config.clientId },
    clientAuth: await clientAuthFor(config, clientSecret),
    clientSecret,
    requestOptions: { [oauth.customFetch]: fetch },
    fetch,
    ...(config.backend !== undefined
      ? {
          backend: {
            ...config.backend,
            ...(backendCredential !== undefined ? { credential: backendCredential } : {}),
          },
        }
      : {}),
  };
};

/**
 * The options for one request to the server's `endpoint`. oauth4webapi refuses plain http unless
 * told otherwise; it is allowed for this request alone when its own endpoint is loopback (local
 * identity providers, tests), so a loopback authorization endpoint, say, never lets a token,
 * revocation or user-info request go out over plain http to another host.
 */
export const requestOptionsFor = (
  runtime: Pick<ProviderRuntime, 'as' | 'requestOptions'>,
  endpoint:
    | 'token_endpoint'
    | 'revocation_endpoint'
    | 'userinfo_endpoint'
    | 'introspection_endpoint'
    | 'device_authorization_endpoint',
): ProviderRuntime['requestOptions'] & { readonly [oauth.allowInsecureRequests]?: true } => {
  const url = runtime.as[endpoint];
  // resolveProviderRuntime held every endpoint to the URL rules, so one that is there parses
  // (the introspection endpoint, which only introspection uses, introspection.ts checks first).
  return url !== undefined && allowsPlainHttp(new URL(url))
    ? { ...runtime.requestOptions, [oauth.allowInsecureRequests]: true }
    : runtime.requestOptions;
};
