/**
 * Builds what the benchmarks measure: a real core (conf store on a temp directory, AES-GCM secret
 * box, in-memory clipboard: tests/integration/core-fixture.ts), connected to a real account on
 * oidc-provider or on the instant token endpoint, with a listener on the change event that does
 * what the shell's IPC bridge does with it (serialize it for the renderer).
 */
import { silentLogger, type Clock, type ConsentPort } from '../main/core/ports';
import type { FetchLike } from '../main/core/http/http-client';
import { createCoreFixture, ok, type CoreFixture } from '../tests/integration/core-fixture';
import { OIDC_PUBLIC_CLIENT_ID, type OidcServer } from '../tests/support/oidc-server';
import type { InstantTokenServer } from './instant-token-server';
import { createOidcHttpUser } from './oidc-http-user';

/** A token-endpoint request as the core sent it, replayable byte for byte by a raw fetch. */
export interface CapturedRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The system clock moved forward by `offset`: expires tokens without waiting. */
export class TravelClock implements Clock {
  offset = 0;
  readonly now = (): number => Date.now() + this.offset;
  readonly setTimeout = (callback: () => void, ms: number): unknown => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  };
  readonly clearTimeout = (handle: unknown): void =>
    clearTimeout(handle as ReturnType<typeof setTimeout>);
}

export interface BenchCore {
  readonly fixture: CoreFixture;
  readonly accountId: string;
  readonly providerId: string;
  /** The core's first request to the token endpoint with a refresh_token grant. */
  firstRefreshRequest(): CapturedRequest | undefined;
  dispose(): void;
}

export interface BenchCoreOptions {
  readonly clock?: Clock;
  /** The background refresh timer; on in the app, off where the bench expires tokens itself. */
  readonly keepFresh: boolean;
  readonly dir?: string;
}

const bodyText = (body: RequestInit['body']): string =>
  typeof body === 'string' ? body : body instanceof URLSearchParams ? body.toString() : '';

/** The core's fetch, unchanged but for remembering the first refresh request it sends. */
const capturingFetch = (): { fetch: FetchLike; first: () => CapturedRequest | undefined } => {
  let captured: CapturedRequest | undefined;
  const wrapped: FetchLike = (input, init) => {
    // Once one is captured the wrapper only forwards: the timed refreshes pay a function call.
    if (captured !== undefined) return fetch(input, init);
    const body = bodyText(init?.body);
    if (body.includes('grant_type=refresh_token')) {
      captured = {
        url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
        headers: Object.fromEntries(new Headers(init?.headers).entries()),
        body,
      };
    }
    return fetch(input, init);
  };
  return { fetch: wrapped, first: () => captured };
};

const buildCore = (consent: ConsentPort, options: BenchCoreOptions) => {
  const capture = capturingFetch();
  const fixture = createCoreFixture(consent, {
    logger: silentLogger,
    keepFresh: options.keepFresh,
    fetch: capture.fetch,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.dir !== undefined ? { dir: options.dir } : {}),
  });
  // The shell forwards every change event to the renderer with webContents.send, which
  // structured-clones the payload: the same work here, so a refresh pays for its event.
  fixture.core.events.on('accountsChanged', (views) => {
    structuredClone(views);
  });
  return { fixture, capture };
};

/**
 * A core with one account connected to oidc-provider through the core's real connect flow
 * (authorization request, PKCE, login and consent over HTTP, code exchange, ID token identity).
 */
export const connectOidcCore = async (
  server: OidcServer,
  options: BenchCoreOptions,
): Promise<BenchCore> => {
  const { fixture, capture } = buildCore(createOidcHttpUser('bench-user'), options);
  // The provider ID sets the callback path, which must match the client's registered redirect.
  const providerId = OIDC_PUBLIC_CLIENT_ID;
  ok(
    await fixture.api.saveProvider({
      id: providerId,
      presetId: 'oidc',
      clientId: OIDC_PUBLIC_CLIENT_ID,
      issuer: server.issuer,
      consentMode: 'embedded',
    }),
  );
  const connected = ok(await fixture.api.connect({ providerId }));
  return {
    fixture,
    accountId: connected.account.id,
    providerId,
    firstRefreshRequest: capture.first,
    dispose: () => fixture.dispose(),
  };
};

/** A core with one account on the instant token endpoint, connected with the API's `exchange`. */
export const connectInstantCore = async (
  server: InstantTokenServer,
  options: BenchCoreOptions,
): Promise<BenchCore> => {
  const { fixture, capture } = buildCore(createOidcHttpUser('unused'), options);
  const providerId = 'instant';
  ok(
    await fixture.api.saveProvider({
      id: providerId,
      presetId: 'oauth2',
      clientId: 'bench-client',
      endpoints: { authorization: server.authorizationEndpoint, token: server.tokenEndpoint },
    }),
  );
  const exchanged = ok(await fixture.api.exchange({ provider: providerId, code: 'bench-code' }));
  return {
    fixture,
    accountId: exchanged.accountId,
    providerId,
    firstRefreshRequest: capture.first,
    dispose: () => fixture.dispose(),
  };
};

/** The same refresh request the core sent, through the platform's fetch, body read as JSON. */
export const rawRefresh = async (request: CapturedRequest): Promise<void> => {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const json = (await response.json()) as { access_token?: unknown };
  if (!response.ok || typeof json.access_token !== 'string') {
    throw new Error(`raw refresh failed: HTTP ${response.status} ${JSON.stringify(json)}`);
  }
};
