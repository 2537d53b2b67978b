/**
 * The app as the oidc-* integration tests drive it: a real core (createCoreFixture) whose consent
 * port is real Chromium on oidc-provider's login and consent pages, with the custom OpenID
 * Connect preset configured for the server's public client `test-oidc` from its issuer alone.
 * Each test builds its own app (fresh store, fresh clipboard); a file shares one browser and one
 * server.
 */
import type { Browser } from 'playwright-core';
import type { CoreOptions } from '../../main/core/core';
import type { ConsentMode, Endpoints } from '../../shared/providers';
import type { Result } from '../../shared/errors';
import type { ConnectResult } from '../../shared/ipc-contract';
import {
  createBrowserConsentPort,
  type BrowserConsentPort,
  type ConsentAction,
  type ConsentScript,
} from '../support/browser-consent-port';
import { OIDC_PUBLIC_CLIENT_ID, type OidcServer } from '../support/oidc-server';
import {
  createCoreFixture,
  fixtureReaders,
  ok,
  type CoreFixture,
  type FixtureReaders,
} from './core-fixture';

export const PROVIDER_ID = OIDC_PUBLIC_CLIENT_ID;

export interface OidcApp extends FixtureReaders {
  readonly fixture: CoreFixture;
  readonly api: CoreFixture['api'];
  readonly port: BrowserConsentPort;
  /** The configuration `connectAs` connects through. */
  readonly providerId: string;
  /** Connects the next account as this login name (oidc-provider makes it the `sub`). */
  connectAs(login: string, action?: ConsentAction): Promise<Result<ConnectResult>>;
  dispose(): void;
}

export interface OidcAppOptions extends Partial<
  Omit<CoreOptions, 'store' | 'consent' | 'clipboard' | 'secretBox' | 'secretProtection'>
> {
  readonly consentMode?: ConsentMode;
  /** The issuer to configure; defaults to the server's. */
  readonly issuer?: string;
  /** How long one scripted browser consent may take before it fails with diagnostics. */
  readonly consentScriptTimeoutMs?: number;
  /**
   * Instead of the custom OpenID Connect preset found from the issuer: the custom OAuth 2.0
   * preset with these typed endpoints, for this client (its ID is the configuration's, so the
   * redirect URI is the one the server registered for it).
   */
  readonly typed?: {
    readonly endpoints: Endpoints;
    readonly clientId: string;
    readonly clientSecret?: string;
    readonly scopes: readonly string[];
  };
}

export const createOidcApp = async (
  browser: Browser,
  server: OidcServer,
  options: OidcAppOptions = {},
): Promise<OidcApp> => {
  const {
    consentMode = 'embedded',
    issuer,
    consentScriptTimeoutMs,
    typed,
    ...coreOptions
  } = options;
  let script: ConsentScript = { login: 'nobody' };
  const port = createBrowserConsentPort(browser, () => script, {
    timeoutMs: consentScriptTimeoutMs ?? 20_000,
  });
  // The background refresh timer is off unless a test asks for it: tests count refreshes.
  const fixture = createCoreFixture(port, { keepFresh: false, ...coreOptions });
  const { api } = fixture;
  const providerId = typed?.clientId ?? PROVIDER_ID;
  ok(
    await api.saveProvider(
      typed
        ? {
            id: providerId,
            presetId: 'oauth2',
            clientId: typed.clientId,
            ...(typed.clientSecret !== undefined ? { clientSecret: typed.clientSecret } : {}),
            endpoints: typed.endpoints,
            scopes: [...typed.scopes],
            consentMode,
          }
        : {
            id: providerId,
            presetId: 'oidc',
            clientId: OIDC_PUBLIC_CLIENT_ID,
            issuer: issuer ?? server.issuer,
            consentMode,
          },
    ),
  );
  return {
    fixture,
    api,
    port,
    providerId,
    connectAs: (login, action = 'approve') => {
      script = { login, action };
      return api.connect({ providerId });
    },
    ...fixtureReaders(fixture),
    dispose: () => fixture.dispose(),
  };
};

/** Calls oidc-provider's userinfo endpoint (`/me`) with a bearer token. */
export const userinfo = async (
  server: OidcServer,
  accessToken: string,
): Promise<{ readonly status: number; readonly body: Record<string, unknown> | undefined }> => {
  const response = await fetch(`${server.issuer}/me`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const body =
    response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
  if (body === undefined) await response.body?.cancel();
  return { status: response.status, body };
};

/** Revokes a token at the provider the way another client or an admin would (RFC 7009). */
export const revokeBehindTheAppsBack = async (
  server: OidcServer,
  token: string,
  hint: 'refresh_token' | 'access_token',
): Promise<void> => {
  const response = await fetch(`${server.issuer}/token/revocation`, {
    method: 'POST',
    body: new URLSearchParams({ token, token_type_hint: hint, client_id: OIDC_PUBLIC_CLIENT_ID }),
  });
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`revocation answered HTTP ${response.status}`);
};

/** Polls `check` every `everyMs` until it answers true or `withinMs` has passed. */
export const waitUntil = async (
  check: () => boolean | Promise<boolean>,
  withinMs: number,
  everyMs = 100,
): Promise<boolean> => {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};
