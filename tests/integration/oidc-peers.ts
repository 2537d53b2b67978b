/**
 * The two real peers an oidc-provider integration test file talks to: one Chromium and one
 * oidc-provider, started once per file (both take seconds) and shared by its tests, which each
 * build their own app on them (fresh store, fresh clipboard) so no test sees another's accounts.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startOidcServer, type OidcServer, type OidcServerOptions } from '../support/oidc-server';
import { createOidcApp, type OidcApp, type OidcAppOptions } from './oidc-app';

export interface OidcPeers {
  /** The file's Chromium; readable once beforeAll has run (in tests and hooks). */
  readonly browser: Browser;
  /** The file's oidc-provider; readable once beforeAll has run (in tests and hooks). */
  readonly server: OidcServer;
  /** An app on these peers, disposed after the test (its store and timers go with it). */
  readonly newApp: (options?: OidcAppOptions) => Promise<OidcApp>;
}

/**
 * Registers the file's vitest hooks: beforeAll starts both peers, afterAll stops them, each test
 * starts with an empty `server.events` and ends with its apps disposed. Call it at the top of a
 * describe block, before that block's own hooks: vitest runs after-hooks last-registered first,
 * so the block's own afterEach still finds its apps and the peers up.
 */
export const setUpOidcPeers = (serverOptions: OidcServerOptions): OidcPeers => {
  let browser: Browser | undefined;
  let server: OidcServer | undefined;
  let apps: OidcApp[] = [];

  beforeAll(async () => {
    // In parallel: Chromium's launch and the server's key generation each take a while. Settled,
    // not all: when one fails, the other still gets stopped in afterAll.
    const [launched, startedServer] = await Promise.allSettled([
      launchChromium(),
      startOidcServer(serverOptions),
    ]);
    if (launched.status === 'fulfilled') browser = launched.value;
    if (startedServer.status === 'fulfilled') server = startedServer.value;
    if (launched.status === 'rejected') throw launched.reason;
    if (startedServer.status === 'rejected') throw startedServer.reason;
  });
  afterAll(async () => {
    // Unset when beforeAll failed: the failure is reported there, not hidden by one here.
    await browser?.close();
    await server?.stop();
  });
  beforeEach(() => {
    // One server serves every test of the file: the grant errors it saw (invalid_grant …) are
    // each test's own.
    server?.events.splice(0);
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    apps = [];
  });

  // Getters rather than plain fields: the peers exist only once beforeAll has run, after the
  // file was collected, so reading them earlier (at describe time) is a mistake worth naming.
  const started = <T>(peer: T | undefined, name: string): T => {
    if (peer === undefined) throw new Error(`the ${name} is not started: read it inside a test`);
    return peer;
  };
  const peers: OidcPeers = {
    get browser() {
      return started(browser, 'browser');
    },
    get server() {
      return started(server, 'oidc server');
    },
    newApp: async (options = {}) => {
      const app = await createOidcApp(peers.browser, peers.server, options);
      apps.push(app);
      return app;
    },
  };
  return peers;
};
