/**
 * The app under test in the renderer specs: the built renderer (out/renderer) served over HTTP,
 * a test host that binds the preload's API surface to the real API object (core + storage) in
 * the test process, the test consent port acting on oidc-provider's real login and consent
 * pages, and oidc-provider on 127.0.0.1. `setUpJourney()` starts the provider and the site once
 * per spec file.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createBrowserConsentPort, type ConsentScript } from '../../support/browser-consent-port';
import type { OidcServer } from '../../support/oidc-server';
import { createCoreFixture, type CoreFixture } from '../../integration/core-fixture';
import { CLIENT_SECRET, fillLocalProvider, startLocalIdp, userinfoStatus } from './local-idp';
import { hostRenderer, type RendererHost } from './renderer-host';
import { serveRenderer, type StaticServer } from './static-server';

/** Short enough that the background refresh comes during a test (its lead is 20 % of it). */
export const TOKEN_TTL_S = 20;

export interface App {
  readonly fixture: CoreFixture;
  readonly host: RendererHost;
  /** What the consent port does at the provider on the next connect. */
  script: ConsentScript;
  /** Every refresh token the core has held for any account, for the leak check. */
  readonly refreshTokens: Set<string>;
  noteSecrets(): Promise<void>;
  dispose(): void;
}

const startApp = async (page: Page, browser: Browser, siteUrl: string): Promise<App> => {
  const app = { script: { login: 'alice' } } as App;
  const port = createBrowserConsentPort(browser, () => app.script, { timeoutMs: 30_000 });
  const fixture = createCoreFixture(port, { keepFresh: true, logger: silent });
  const host = await hostRenderer(page, fixture.api, fixture.core.events);
  const refreshTokens = new Set<string>();
  // The page may only reach the provider's pages through the consent port, never on its own.
  await page.route('**/*', (route) =>
    route.request().url().startsWith(siteUrl) ? route.continue() : route.abort(),
  );
  return Object.assign(app, {
    fixture,
    host,
    refreshTokens,
    async noteSecrets() {
      for (const account of fixture.parts.repo.accounts()) {
        const secrets = await fixture.parts.repo.accountSecrets(account.id);
        if (secrets?.refreshToken) refreshTokens.add(secrets.refreshToken);
      }
    },
    dispose() {
      host.dispose();
      fixture.dispose();
    },
  });
};

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export interface Journey {
  /** The spec file's oidc-provider; readable once beforeAll has run. */
  readonly oidc: OidcServer;
  /** The built renderer, served over HTTP; readable once beforeAll has run. */
  readonly site: StaticServer;
  readonly startApp: (page: Page, browser: Browser) => Promise<App>;
  /** Fills the open "Add provider" dialog for the local provider. */
  readonly addLocalProvider: (page: Page) => Promise<void>;
  /**
   * Opens the app, adds the local provider through the form (another issuer or client secret if
   * given, to make something fail) and saves it.
   */
  readonly openWithLocalProvider: (
    page: Page,
    overrides?: { readonly issuer?: string; readonly clientSecret?: string },
  ) => Promise<void>;
  /** What the provider's userinfo endpoint answers for a token: 200 live, 401 dead. */
  readonly userinfoStatus: (token: string) => Promise<number>;
}

/** Registers the spec file's beforeAll/afterAll: oidc-provider and the renderer's site. */
export const setUpJourney = (): Journey => {
  let oidc: OidcServer | undefined;
  let site: StaticServer | undefined;
  test.beforeAll(async () => {
    oidc = await startLocalIdp(TOKEN_TTL_S);
    site = await serveRenderer();
  });
  test.afterAll(async () => {
    await site?.close();
    await oidc?.stop();
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the ${name} is not started: use it inside a test`);
    return value;
  };
  const journey: Journey = {
    get oidc() {
      return started(oidc, 'oidc-provider');
    },
    get site() {
      return started(site, 'renderer site');
    },
    startApp: (page, browser) => startApp(page, browser, journey.site.url),
    addLocalProvider: (page) => fillLocalProvider(page, journey.oidc.issuer),
    openWithLocalProvider: async (page, overrides = {}) => {
      await page.goto(journey.site.url);
      await page.getByRole('button', { name: 'Add a provider' }).click();
      const form = page.getByRole('dialog', { name: 'Add provider' });
      await fillLocalProvider(page, overrides.issuer ?? journey.oidc.issuer);
      if (overrides.clientSecret !== undefined) {
        await form.getByLabel('Client secret', { exact: true }).fill(overrides.clientSecret);
      }
      await form.getByRole('button', { name: 'Save provider' }).click();
      await expect(form).toBeHidden();
    },
    userinfoStatus: (token) => userinfoStatus(journey.oidc.issuer, token),
  };
  return journey;
};

/** "expires in 1:02:03" / "expires in 0:19" → seconds left; anything else → undefined. */
export const secondsLeft = (text: string): number | undefined => {
  const match = /expires in (?:(\d+):)?(\d+):(\d+)/.exec(text);
  if (!match) return undefined;
  return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
};

/** The renderer never receives a refresh token or a client secret, in any answer or event. */
export const assertNoSecretReachedThePage = (app: App): void => {
  expect(app.host.traffic.length).toBeGreaterThan(0);
  const forbidden = [CLIENT_SECRET, ...app.refreshTokens];
  for (const entry of app.host.traffic) {
    for (const secret of forbidden) {
      expect(entry.json.includes(secret), `${entry.kind} ${entry.name} carries a secret`).toBe(
        false,
      );
    }
    expect(entry.json).not.toMatch(/"(refresh_?token|client_?secret)"\s*:/i);
  }
};
