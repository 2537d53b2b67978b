/**
 * The app as the backend-* integration tests drive it (issue 16, "through your backend"): a real
 * core (createCoreFixture) whose providers exchange and refresh through the local token backends
 * of tests/support/token-backends.ts, each in front of one oidc-provider with its own confidential
 * client, and whose consent is real Chromium on oidc-provider's login and consent pages:
 * - embedded: the browser consent port catches the backend's registered web redirect URI
 *   (`https://app.example.test/oauth/callback`) from the provider's redirect; nothing is loaded
 *   there (the page aborts every request off 127.0.0.1);
 * - system-browser: the same port in system-browser mode with the registered loopback redirect
 *   with a fixed port, or (`loopback-listener`) the app's own loopback listener on that port with
 *   Chromium standing in for the user's browser (tests/integration/loopback-browser.ts).
 * The presets are the shipped ones: Google's and GitHub's endpoints pointed at oidc-provider (and
 * GitHub's at the GitHub-style backend's stand-in for github.com and its `/user`), the custom
 * OpenID Connect one from the issuer. Every API answer and every event the window would get is
 * recorded, so a test can search them for secrets.
 */
import { createServer, type Server } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createLoopbackConsent } from '../../main/core/consent/loopback-consent';
import type { CoreOptions } from '../../main/core/core';
import type { ConsentPort } from '../../main/core/ports';
import type { Result } from '../../shared/errors';
import type { ProviderConfigView } from '../../shared/model';
import {
  EVENT_NAMES,
  type ChannelInput,
  type ConnectResult,
  type TokendeskApi,
} from '../../shared/ipc-contract';
import { PRESETS, type ConsentMode, type ProviderPreset } from '../../shared/providers';
import {
  createBrowserConsentPort,
  type BrowserConsentPort,
  type ConsentAction,
  type ConsentScript,
} from '../support/browser-consent-port';
import { launchChromium } from '../support/chromium';
import { startOidcServer, type OidcServer } from '../support/oidc-server';
import { reserveFreePort } from '../support/redirect-uri';
import {
  backendClient,
  startGitHubStyleBackend,
  startGoogleStyleBackend,
  startStandardBackend,
  type BackendClient,
  type GitHubStyleBackend,
  type GoogleStyleBackend,
  type TokenBackend,
} from '../support/token-backends';
import {
  createCoreFixture,
  fixtureReaders,
  ok,
  type CoreFixture,
  type FixtureReaders,
} from './core-fixture';
import { createSystemBrowser, type SystemBrowser } from './loopback-browser';

/** The web redirect URI the backends' clients registered: nothing serves it, nothing may load it. */
export const WEB_REDIRECT_URI = 'https://app.example.test/oauth/callback';

/** The bearer credential the backends want from the user (distinctive, to search for it). */
export const BACKEND_CREDENTIAL = 'bkc_live_4f1d9a7e3b2c8d6f0a5e1b9c7d3f2a8e';

export const GOOGLE_CLIENT: BackendClient = {
  clientId: 'backend-google',
  clientSecret: 'backend-google-secret-only-the-backend-knows-0123',
};
export const GITHUB_CLIENT: BackendClient = {
  clientId: 'backend-github',
  clientSecret: 'backend-github-secret-only-the-backend-knows-4567',
};
export const STANDARD_CLIENT: BackendClient = {
  clientId: 'backend-standard',
  clientSecret: 'backend-standard-secret-only-the-backend-knows-89ab',
};

/** The provider IDs the tests save (the presets' own IDs, and one for the custom OIDC one). */
export const PROVIDER = { google: 'google', github: 'github', standard: 'corp' } as const;
export type ShapeUnderTest = keyof typeof PROVIDER;

export type BackendConsent = 'embedded' | 'system-browser' | 'loopback-listener';

export interface BackendPeers {
  readonly browser: Browser;
  /**
   * Connections that reached the web redirect URI's host: Chromium resolves
   * `app.example.test` to a listener of the test's own that only counts them. Nothing may
   * ever connect there: the redirect is caught from the provider's answer.
   */
  readonly webHostConnections: number;
  readonly server: OidcServer;
  /** The loopback redirect with a fixed port every backend client registered too. */
  readonly loopbackRedirectUri: string;
  readonly google: GoogleStyleBackend;
  readonly github: GitHubStyleBackend;
  readonly standard: TokenBackend;
  backendOf(shape: ShapeUnderTest): TokenBackend;
  newApp(options?: BackendAppOptions): BackendApp;
}

export type BackendAppOptions = Partial<
  Omit<
    CoreOptions,
    'store' | 'consent' | 'clipboard' | 'secretBox' | 'secretProtection' | 'presets'
  >
> & {
  /** Default 'embedded'. */
  readonly consent?: BackendConsent;
};

export type BackendInput = NonNullable<ChannelInput<'saveProvider'>['backend']>;

/** One answer the window got, in order: a channel's result or an event's payload. */
export interface WindowMessage {
  readonly channel: string;
  readonly payload: unknown;
}

export interface BackendApp extends FixtureReaders {
  readonly fixture: CoreFixture;
  /** The API as the window calls it; every answer is recorded in `window`. */
  readonly api: TokendeskApi;
  /** Every API answer and event payload the window would have received. */
  readonly window: readonly WindowMessage[];
  /** The browser consent port (undefined with the loopback listener). */
  readonly port: BrowserConsentPort | undefined;
  /** The stand-in for the user's browser with the loopback listener. */
  readonly systemBrowser: SystemBrowser | undefined;
  /** Saves the provider of this shape through its backend (overrides merged over the default). */
  save(
    shape: ShapeUnderTest,
    overrides?: Partial<ChannelInput<'saveProvider'>>,
  ): Promise<Result<ProviderConfigView>>;
  /** The `backend` member `save` sends for this shape (credential included). */
  backendInput(shape: ShapeUnderTest): BackendInput;
  /** Connects the next account as this login (oidc-provider makes it the `sub`). */
  connectAs(
    shape: ShapeUnderTest,
    login: string,
    action?: ConsentAction,
  ): Promise<Result<ConnectResult>>;
}

/** The shipped presets with Google's and GitHub's endpoints at the test's peers. */
const presetsFor = (server: OidcServer, github: GitHubStyleBackend): ProviderPreset[] =>
  PRESETS.map((preset): ProviderPreset => {
    const issuer = server.issuer;
    if (preset.id === 'google') {
      return {
        ...preset,
        issuer,
        endpoints: {
          authorization: `${issuer}/auth`,
          token: `${issuer}/token`,
          revocation: `${issuer}/token/revocation`,
          userinfo: `${issuer}/me`,
        },
        exampleApiUrl: `${issuer}/me`,
      };
    }
    if (preset.id === 'github') {
      return {
        ...preset,
        endpoints: { authorization: github.github.authorization, token: `${issuer}/token` },
        identity: { kind: 'github-user', url: github.github.user },
        revocation: { kind: 'github-api', apiBase: `${github.url}/api` },
        exampleApiUrl: github.github.user,
      };
    }
    return preset;
  });

/** Records every answer of every channel, as the preload would hand it to the window. */
const recordingApi = (api: TokendeskApi, window: WindowMessage[]): TokendeskApi =>
  new Proxy(api, {
    get: (target, name, receiver) => {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const answer: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
          target,
          args,
        );
        window.push({ channel: String(name), payload: answer });
        return answer;
      };
    },
  });

/**
 * Registers the file's hooks: beforeAll starts Chromium, oidc-provider (with each backend's
 * confidential client: the web and the loopback redirect URIs registered, PKCE optional for the
 * shapes that cannot pass a verifier, refresh tokens for Google's scopes) and the three backends;
 * afterEach disposes the apps and puts the backends back (no fault, the credential wanted, the
 * web redirect URI), after checking the backends' own code threw nothing.
 */
export const setUpBackendPeers = (
  options: { readonly rotateRefreshToken?: boolean; readonly accessTokenTtl?: number } = {},
): BackendPeers => {
  let browser: Browser | undefined;
  let server: OidcServer | undefined;
  let backends: { google: GoogleStyleBackend; github: GitHubStyleBackend; standard: TokenBackend };
  let loopbackRedirectUri = '';
  let webHost: Server | undefined;
  let webHostConnections = 0;
  let apps: { app: BackendApp; cleanup: () => Promise<void> }[] = [];
  const rotate = options.rotateRefreshToken ?? true;

  beforeAll(async () => {
    const port = await reserveFreePort();
    loopbackRedirectUri = `http://127.0.0.1:${port}/oauth/callback`;
    const redirectUris = [WEB_REDIRECT_URI, loopbackRedirectUri];
    const trap = createServer((socket) => {
      webHostConnections += 1;
      socket.destroy();
    });
    webHost = trap;
    const trapPort = await new Promise<number>((resolve, reject) => {
      trap.once('error', reject);
      trap.listen(0, '127.0.0.1', () => {
        const address = trap.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    const [launched, started] = await Promise.allSettled([
      launchChromium([
        `--host-resolver-rules=MAP ${new URL(WEB_REDIRECT_URI).hostname} 127.0.0.1:${trapPort}`,
      ]),
      startOidcServer({
        rotateRefreshToken: rotate,
        // The GitHub preset asks for read:user alone.
        extraScopes: ['read:user'],
        ...(options.accessTokenTtl !== undefined ? { accessTokenTtl: options.accessTokenTtl } : {}),
        clients: [
          { clientId: 'test-oidc' },
          backendClient(GOOGLE_CLIENT, redirectUris, {
            pkceRequired: false,
            refreshTokenAlways: true,
          }),
          backendClient(GITHUB_CLIENT, redirectUris, { pkceRequired: false }),
          backendClient(STANDARD_CLIENT, redirectUris, { pkceRequired: true }),
        ],
      }),
    ]);
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'fulfilled') server = started.value;
    if (launched.status === 'rejected') throw launched.reason;
    if (started.status === 'rejected') throw started.reason;
    const common = { server: started.value, credential: BACKEND_CREDENTIAL };
    const [google, github, standard] = await Promise.all([
      startGoogleStyleBackend({
        ...common,
        client: GOOGLE_CLIENT,
        redirectUri: loopbackRedirectUri,
      }),
      startGitHubStyleBackend({ ...common, client: GITHUB_CLIENT, redirectUri: WEB_REDIRECT_URI }),
      startStandardBackend({ ...common, client: STANDARD_CLIENT, redirectUri: WEB_REDIRECT_URI }),
    ]);
    backends = { google, github, standard };
  });
  afterAll(async () => {
    await Promise.all(Object.values(backends ?? {}).map((b: TokenBackend) => b.stop()));
    await browser?.close();
    await server?.stop();
    await new Promise((resolve) => (webHost ? webHost.close(resolve) : resolve(undefined)));
  });
  beforeEach(() => {
    server?.events.splice(0);
  });
  afterEach(async () => {
    for (const { cleanup } of apps) await cleanup();
    apps = [];
    // Whatever a test did, the web redirect URI's host was never contacted.
    expect(webHostConnections).toBe(0);
    server?.setRotation(rotate);
    const { google, github, standard } = backends;
    for (const backend of [google, github, standard]) {
      expect(backend.errors).toEqual([]);
      backend.reset();
      backend.credential = BACKEND_CREDENTIAL;
    }
    google.redirectUri = loopbackRedirectUri;
    google.expiresAtUnit = 's';
    github.redirectUri = WEB_REDIRECT_URI;
    standard.redirectUri = WEB_REDIRECT_URI;
  });

  const started = <T>(peer: T | undefined, name: string): T => {
    if (peer === undefined) throw new Error(`the ${name} is not started: read it inside a test`);
    return peer;
  };

  const peers: BackendPeers = {
    get browser() {
      return started(browser, 'browser');
    },
    get server() {
      return started(server, 'oidc server');
    },
    get loopbackRedirectUri() {
      return loopbackRedirectUri;
    },
    get webHostConnections() {
      return webHostConnections;
    },
    get google() {
      return started(backends, 'backends').google;
    },
    get github() {
      return started(backends, 'backends').github;
    },
    get standard() {
      return started(backends, 'backends').standard;
    },
    backendOf: (shape) => started(backends, 'backends')[shape],
    newApp: (appOptions = {}) => {
      const { app, cleanup } = createBackendApp(peers, appOptions);
      apps.push({ app, cleanup });
      return app;
    },
  };
  return peers;
};

const createBackendApp = (
  peers: BackendPeers,
  options: BackendAppOptions,
): { app: BackendApp; cleanup: () => Promise<void> } => {
  const { consent = 'embedded', ...coreOptions } = options;
  let script: ConsentScript = { login: 'nobody' };
  const systemBrowser =
    consent === 'loopback-listener' ? createSystemBrowser(peers.browser) : undefined;
  const port =
    systemBrowser === undefined ? createBrowserConsentPort(peers.browser, () => script) : undefined;
  const consentPort: ConsentPort =
    port ?? createLoopbackConsent((systemBrowser as SystemBrowser).openExternal);
  // The background refresh timer is off unless a test asks for it: tests count refreshes.
  const fixture = createCoreFixture(consentPort, {
    keepFresh: false,
    ...coreOptions,
    presets: presetsFor(peers.server, peers.github),
  });
  const window: WindowMessage[] = [];
  for (const name of EVENT_NAMES) {
    fixture.core.events.on(name, (payload) => window.push({ channel: `event:${name}`, payload }));
  }
  const api = recordingApi(fixture.api, window);
  const consentMode: ConsentMode = consent === 'embedded' ? 'embedded' : 'system-browser';
  const redirectUri = consent === 'embedded' ? WEB_REDIRECT_URI : peers.loopbackRedirectUri;

  const backendInput = (shape: ShapeUnderTest): BackendInput => {
    const backend = peers.backendOf(shape);
    return { url: backend.url, shape: backend.shape, redirectUri, credential: BACKEND_CREDENTIAL };
  };
  const defaults = (shape: ShapeUnderTest): ChannelInput<'saveProvider'> => {
    const through = backendInput(shape);
    switch (shape) {
      case 'google':
        return {
          presetId: 'google',
          clientId: GOOGLE_CLIENT.clientId,
          consentMode,
          backend: through,
        };
      case 'github':
        return {
          presetId: 'github',
          clientId: GITHUB_CLIENT.clientId,
          consentMode,
          backend: through,
        };
      case 'standard':
        return {
          id: PROVIDER.standard,
          presetId: 'oidc',
          clientId: STANDARD_CLIENT.clientId,
          issuer: peers.server.issuer,
          consentMode,
          backend: through,
        };
    }
  };

  const app: BackendApp = {
    fixture,
    api,
    window,
    port,
    systemBrowser,
    backendInput,
    save: async (shape, overrides = {}) => {
      // The backend names the redirect URI its client registered: the one this app's consent uses.
      peers.backendOf(shape).redirectUri = redirectUri;
      return api.saveProvider({ ...defaults(shape), ...overrides });
    },
    connectAs: (shape, login, action = 'approve') => {
      script = { login, action };
      return api.connect({ providerId: PROVIDER[shape] });
    },
    ...fixtureReaders(fixture),
  };
  return {
    app,
    cleanup: async () => {
      fixture.dispose();
      await systemBrowser?.close();
    },
  };
};

/** Saves the provider of this shape and fails the test if the save is refused. */
export const saved = async (app: BackendApp, shape: ShapeUnderTest): Promise<void> => {
  ok(await app.save(shape));
};

/**
 * Every place a secret could reach the user's disk or window: the raw store file text and the
 * JSON of every answer and event so far. Fails naming where a secret was found.
 */
export const expectNoSecretsShown = async (
  app: BackendApp,
  secrets: readonly (string | undefined)[],
): Promise<void> => {
  const storeText = await app.storeText();
  const windowText = JSON.stringify(app.window);
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 8) continue;
    if (storeText.includes(secret)) found.push(`store file holds ${secret.slice(0, 6)}…`);
    if (windowText.includes(secret))
      found.push(`an answer to the window holds ${secret.slice(0, 6)}…`);
  }
  expect(found).toEqual([]);
};
