/**
 * "Test connection" in the provider form: before anyone signs in, can the app reach the
 * provider from this network, and is what answers an OAuth server? It reads the OpenID
 * configuration (where the provider is found by discovery) and sends the token endpoint a
 * made-up authorization code, which a token endpoint refuses with an OAuth error. Each step says
 * in plain words where it failed: the name (DNS), the proxy, TLS (naming the certificate), the
 * connection, or the HTTP answer. Nothing is stored and no secret is sent.
 */
import * as oauth from 'oauth4webapi';
import type { ConnectionCheck, ConnectionTest } from '../../../shared/model';
import { presetAt } from '../../../shared/provider-instance';
import { backendCallUrl, type ProviderPreset } from '../../../shared/providers';
import { exchangeBody } from '../backend/backend-requests';
import { CoreFailure } from '../core-failure';
import { NetworkFailure } from '../http/http-client';
import { describeRoute } from '../http/proxy-answer';
import { createDiscovery } from './discovery';
import {
  requestOptionsFor,
  resolveProviderRuntime,
  type ProviderRuntime,
  type RuntimeDeps,
} from './provider-runtime';
import type { StoredProviderConfig } from '../storage/store-schema';
import { messageOf } from '../../../shared/errors';
import { peekJson } from '../http/http-client';

/** What no provider issued: the token endpoint must refuse it. */
const MADE_UP_CODE = 'tokendesk-connection-test';
/** A redirect URI no client registered; sent only because the grant requires one. */
const TEST_REDIRECT_URI = 'http://127.0.0.1/tokendesk-connection-test';

export interface ConnectionTestDeps extends Omit<RuntimeDeps, 'discover'> {
  readonly now: () => number;
  /**
   * The proxy the system's settings choose for a URL, as a PAC answer ("PROXY host:port",
   * "DIRECT"): Electron's session.resolveProxy in the app; absent in plain Node.
   */
  readonly resolveProxy?: (url: string) => Promise<string>;
}

/** The network failure under a core failure, if that is what it was. */
const networkCause = (error: unknown): NetworkFailure | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current instanceof NetworkFailure) return current;
    current = current.cause;
  }
  return undefined;
};

const failedCheck = (
  step: ConnectionCheck['step'],
  url: string,
  error: unknown,
): ConnectionCheck => {
  const network = networkCause(error);
  if (network) {
    return { step, url, ok: false, place: network.place ?? 'connection', message: network.message };
  }
  return { step, url, ok: false, place: 'metadata', message: messageOf(error) };
};

const probeTokenEndpoint = async (runtime: ProviderRuntime): Promise<ConnectionCheck> => {
  const url = runtime.as.token_endpoint ?? '';
  const step = 'token-endpoint';
  let response: Response;
  try {
    const params = oauth.validateAuthResponse(
      runtime.as,
      runtime.client,
      new URLSearchParams({
        code: MADE_UP_CODE,
        ...(runtime.as.authorization_response_iss_parameter_supported
          ? { iss: runtime.as.issuer }
          : {}),
      }),
      oauth.skipStateCheck,
    );
    response = await oauth.authorizationCodeGrantRequest(
      runtime.as,
      runtime.client,
      oauth.None(),
      params,
      TEST_REDIRECT_URI,
      oauth.nopkce,
      requestOptionsFor(runtime, 'token_endpoint'),
    );
  } catch (error) {
    return failedCheck(step, url, error);
  }
  const body = await peekJson(response).catch(() => undefined);
  const said =
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string }).error
      : undefined;
  if (said !== undefined && response.status >= 400 && response.status < 500) {
    return {
      step,
      url,
      ok: true,
      message: `The token endpoint answers: HTTP ${response.status} “${said}”, as it should to a made-up code.`,
    };
  }
  return {
    step,
    url,
    ok: false,
    place: 'http',
    message:
      said === undefined
        ? `The token endpoint answered HTTP ${response.status} without an OAuth error: is this the token endpoint?`
        : `The token endpoint answered HTTP ${response.status} “${said}”.`,
  };
};

/**
 * Through a backend, the backend stands where the token endpoint would: it is sent the made-up
 * code in its shape, without the backend credential (nothing secret is sent), and any answer of
 * its own (a refusal of the code, or of the missing credential) shows it is reachable. A page
 * that is not JSON is what a captive portal or the wrong URL answers.
 */
const probeBackend = async (
  runtime: ProviderRuntime,
  backend: NonNullable<StoredProviderConfig['backend']>,
): Promise<ConnectionCheck> => {
  const url = backendCallUrl(backend.url, backend.shape, 'exchange');
  const step = 'backend';
  let response: Response;
  try {
    response =
      backend.shape === 'standard'
        ? await runtime.fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              accept: 'application/json',
            },
            body: new URLSearchParams({
              grant_type: 'authorization_code',
              code: MADE_UP_CODE,
              redirect_uri: backend.redirectUri,
              client_id: runtime.config.clientId,
            }).toString(),
            redirect: 'manual',
          })
        : await runtime.fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify(exchangeBody(backend.shape, MADE_UP_CODE)),
            redirect: 'manual',
          });
  } catch (error) {
    return failedCheck(step, url, error);
  }
  const json = await peekJson(response).then(
    () => true,
    () => false,
  );
  if (json && response.status >= 400 && response.status < 500) {
    return {
      step,
      url,
      ok: true,
      message: `The backend answers: HTTP ${response.status} to a made-up code${response.status === 401 || response.status === 403 ? ' (Test connection sends no backend credential)' : ''}, as it should.`,
    };
  }
  return {
    step,
    url,
    ok: false,
    place: 'http',
    message: json
      ? `The backend answered HTTP ${response.status} to a made-up code: is this the backend, of the shape chosen?`
      : `The backend answered HTTP ${response.status} with something that is not JSON: is this the backend’s URL?`,
  };
};

/** Tests how the app reaches a provider configured as `config` (saved or not). */
export const testConnection = async (
  config: StoredProviderConfig,
  preset: ProviderPreset,
  deps: ConnectionTestDeps,
): Promise<ConnectionTest> => {
  const checks: ConnectionCheck[] = [];
  // A self-managed instance's endpoints are on its own server (shared/provider-instance.ts).
  const endpoints = config.endpoints ?? presetAt(preset, config.issuer).endpoints;
  const discovers = endpoints === undefined;
  const issuer = (config.issuer ?? preset.issuer ?? '').replaceAll(
    '{tenant}',
    encodeURIComponent(config.tenant ?? 'common'),
  );
  const firstUrl =
    endpoints === undefined
      ? issuer
      : config.backend !== undefined
        ? config.backend.url
        : endpoints.token;
  const route = deps.resolveProxy
    ? describeRoute(await deps.resolveProxy(firstUrl).catch(() => 'DIRECT'))
    : undefined;

  let runtime: ProviderRuntime;
  try {
    // A discovery of its own, not the cached one: the test is of the network now.
    runtime = await resolveProviderRuntime(config, preset, undefined, {
      ...deps,
      discover: createDiscovery(deps.now),
    });
  } catch (error) {
    if (!discovers && error instanceof CoreFailure) throw error;
    checks.push(failedCheck('discovery', issuer, error));
    return { ok: false, checks, ...(route ? { route } : {}) };
  }
  if (discovers) {
    checks.push({
      step: 'discovery',
      url: issuer,
      ok: true,
      message: 'The OpenID configuration was read.',
    });
  }
  checks.push(
    config.backend !== undefined
      ? await probeBackend(runtime, config.backend)
      : await probeTokenEndpoint(runtime),
  );
  return { ok: checks.every((check) => check.ok), checks, ...(route ? { route } : {}) };
};
