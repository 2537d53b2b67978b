/**
 * The system-browser consent mode for real (RFC 8252 §7.3): the loopback listener the app runs
 * on 127.0.0.1 while the user signs in in their own browser.
 *
 * First through the core against oidc-provider, with Chromium standing in for the user's
 * browser: the provider's redirect really travels to the listener, the tab shows the listener's
 * page, and the listener is gone afterwards however the sign-in ends. Then the listener on its
 * own, probed with raw HTTP and TCP: what it binds, what it answers, when it stops answering.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoopbackConsent, type OpenExternal } from '../../main/core/consent/loopback-consent';
import type { LoopbackOptions } from '../../main/core/consent/loopback-listener';
import { CoreFailure } from '../../main/core/core-failure';
import { ConsentAborted, type ConsentRequest, type ConsentSession } from '../../main/core/ports';
import { isError } from '../../shared/errors';
import { OIDC_PUBLIC_CLIENT_ID } from '../support/oidc-server';
import { createCoreFixture, failed, ok, type CoreFixture } from './core-fixture';
import {
  createSystemBrowser,
  FORGED_STATE,
  type BrowserAction,
  type SystemBrowser,
} from './loopback-browser';
import { waitUntil } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

const PROVIDER_ID = OIDC_PUBLIC_CLIENT_ID;
const CLOSE_TAB_TEXT = 'You can close this tab';

// ---------------------------------------------------------------------------------------------
// Probes

interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One HTTP request on its own connection (no pooled socket hides a closed listener). */
const httpRequest = (
  url: string,
  options: { readonly method?: string; readonly host?: string } = {},
): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        agent: false,
        headers: options.host !== undefined ? { host: options.host } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });

/** Opens a TCP connection: 'open' when something accepts it, else the error code (ECONNREFUSED). */
const tcpProbe = (host: string, port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve('TIMEOUT');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });

const portOf = (redirectUri: string): number => Number(new URL(redirectUri).port);

/** A promise whose settlement can be read synchronously, to show an attempt is still pending. */
const observe = <T>(promise: Promise<T>) => {
  const seen: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(seen, { settled: true, value }),
    (error: unknown) => Object.assign(seen, { settled: true, error }),
  );
  return seen;
};

/** Lets pending callbacks and I/O run (a resolution triggered by a response has happened). */
const settleIo = () => new Promise((resolve) => setImmediate(resolve));

/** The machine's first non-loopback IPv4 address, if it has one. */
const otherIpv4 = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

const hasIpv6Loopback = (): boolean =>
  Object.values(networkInterfaces())
    .flat()
    .some((a) => a !== undefined && a.family === 'IPv6' && a.address === '::1');

// ---------------------------------------------------------------------------------------------
// Through the core, against oidc-provider, with Chromium as the user's browser

describe('system-browser sign-in through the loopback listener (oidc-provider, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true });
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A core whose consent port is the real loopback listener, opening URLs with `openExternal`. */
  const newApp = async (
    openExternal: OpenExternal,
    options: { readonly consentTimeoutMs?: number } = {},
  ): Promise<CoreFixture> => {
    const fixture = createCoreFixture(createLoopbackConsent(openExternal), {
      keepFresh: false,
      ...options,
    });
    cleanups.push(() => fixture.dispose());
    ok(
      await fixture.api.saveProvider({
        id: PROVIDER_ID,
        presetId: 'oidc',
        clientId: OIDC_PUBLIC_CLIENT_ID,
        issuer: peers.server.issuer,
        consentMode: 'system-browser',
      }),
    );
    peers.server.resetCounts();
    return fixture;
  };

  const newBrowserApp = async (
    action: BrowserAction,
    options: { readonly consentTimeoutMs?: number; readonly after?: Promise<unknown> } = {},
  ) => {
    const systemBrowser: SystemBrowser = createSystemBrowser(peers.browser);
    cleanups.push(() => systemBrowser.close());
    const { after, ...appOptions } = options;
    systemBrowser.setAction(action, after !== undefined ? { after } : {});
    const fixture = await newApp(systemBrowser.openExternal, appOptions);
    return { fixture, systemBrowser };
  };

  /** The one URL the app handed to the browser, and the loopback redirect URI inside it. */
  const openedUrl = (systemBrowser: SystemBrowser) => {
    expect(systemBrowser.opened).toHaveLength(1);
    const url = new URL(systemBrowser.opened[0] ?? '');
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
    return { url, redirect };
  };

  it('connects: the provider redirects the browser to the listener, the tab says it can be closed, the listener is gone', async () => {
    const { fixture, systemBrowser } = await newBrowserApp('approve');

    const { account, created } = ok(await fixture.api.connect({ providerId: PROVIDER_ID }));

    expect(created).toBe(true);
    expect(account).toMatchObject({ providerId: PROVIDER_ID, subject: 'loopback-user' });
    expect(ok(await fixture.api.listAccounts())).toEqual([account]);
    const accessToken = (await fixture.parts.repo.accountSecrets(account.id))?.accessToken ?? '';
    expect(await peers.server.isAccessTokenActive(accessToken)).toBe(true);
    expect(peers.server.counts.authorizationCodeRequests).toBe(1);

    // The browser was sent to the provider's authorization endpoint, with the listener as the
    // redirect: 127.0.0.1, a port of its own, the provider's exact callback path.
    const { url, redirect } = openedUrl(systemBrowser);
    expect(`${url.origin}${url.pathname}`).toBe(`${peers.server.issuer}/auth`);
    expect(redirect.protocol).toBe('http:');
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(Number(redirect.port)).toBeGreaterThan(0);
    expect(redirect.pathname).toBe(`/callback/${PROVIDER_ID}`);

    // The tab followed the provider's redirect to the listener and shows its page.
    const tab = await systemBrowser.lastTab();
    expect(`${tab.url.origin}${tab.url.pathname}`).toBe(`${redirect.origin}${redirect.pathname}`);
    expect(tab.url.searchParams.get('code')).toBeTruthy();
    expect(tab.url.searchParams.get('state')).toBe(url.searchParams.get('state'));
    expect(tab.status).toBe(200);
    expect(tab.text).toContain(CLOSE_TAB_TEXT);
    expect(tab.text).toContain('Signed in');

    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('ECONNREFUSED');
  });

  it('the user denies on the provider page: a consent error, no account, the tab still gets the page, the listener is gone', async () => {
    const { fixture, systemBrowser } = await newBrowserApp('deny');

    const error = failed(await fixture.api.connect({ providerId: PROVIDER_ID }));

    expect(isError(error, 'consentDenied')).toBe(true);
    expect(error.message).toContain('access_denied');
    expect(ok(await fixture.api.listAccounts())).toEqual([]);
    expect(peers.server.counts.tokenRequests).toBe(0);
    const tab = await systemBrowser.lastTab();
    expect(tab.url.searchParams.get('error')).toBe('access_denied');
    expect(tab.status).toBe(200);
    expect(tab.text).toContain(CLOSE_TAB_TEXT);
    // The tab must not claim a sign-in that did not happen.
    expect(tab.text).toContain('Sign-in not completed');
    expect(tab.text).not.toContain('Signed in');
    const { redirect } = openedUrl(systemBrowser);
    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('ECONNREFUSED');
  });

  it('a provider redirect with another state (an altered link) gets 400 and does not end the sign-in; its code is never exchanged', async () => {
    const { fixture, systemBrowser } = await newBrowserApp('forge-state');

    const connecting = fixture.api.connect({ providerId: PROVIDER_ID });
    const pending = observe(connecting);
    expect(await waitUntil(() => systemBrowser.opened.length === 1, 10_000)).toBe(true);

    // The listener did receive a genuine code from the provider, with the forged state…
    const tab = await systemBrowser.lastTab();
    expect(tab.url.searchParams.get('state')).toBe(FORGED_STATE);
    expect(tab.url.searchParams.get('code')).toBeTruthy();
    // …and refused it: the tab does not claim a sign-in, and the app is still waiting for its own.
    expect(tab.status).toBe(400);
    expect(tab.text).toContain('Sign-in not completed');
    const { redirect } = openedUrl(systemBrowser);
    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('open');
    expect(pending.settled).toBe(false);

    ok(await fixture.api.cancelConnect({ providerId: PROVIDER_ID }));
    expect(isError(failed(await connecting), 'consentCancelled')).toBe(true);
    // The code that came with the wrong state was thrown away: no token request, no account.
    expect(peers.server.counts.tokenRequests).toBe(0);
    expect(ok(await fixture.api.listAccounts())).toEqual([]);
    expect(readFileSync(fixture.storeFile, 'utf8')).not.toContain('loopback-user');
    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('ECONNREFUSED');
  });

  it('forged callbacks that reach the listener first get 400, and the user’s own sign-in still connects', async () => {
    // The user has the login page open; another program (or a page on a rebound host name) hits
    // the listener first. Before, the first request ended the attempt: the real sign-in failed.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { fixture, systemBrowser } = await newBrowserApp('approve', { after: released });

    const connecting = fixture.api.connect({ providerId: PROVIDER_ID });
    expect(await waitUntil(() => systemBrowser.opened.length === 1, 10_000)).toBe(true);
    const { url, redirect } = openedUrl(systemBrowser);
    const iss = encodeURIComponent(peers.server.issuer);

    const otherState = await httpRequest(
      `${redirect.href}?code=stolen-code&state=${FORGED_STATE}&iss=${iss}`,
    );
    expect(otherState.status).toBe(400);
    expect(otherState.body).toContain('Sign-in not completed');
    const noState = await httpRequest(`${redirect.href}?error=access_denied`);
    expect(noState.status).toBe(400);
    // Even with the right state, a request whose Host is not this listener is refused: a web
    // page whose host name was rebound to 127.0.0.1 sends its own.
    const rebound = await httpRequest(
      `${redirect.href}?code=stolen-code&state=${url.searchParams.get('state') ?? ''}&iss=${iss}`,
      { host: `attacker.example:${redirect.port}` },
    );
    expect(rebound.status).toBe(400);

    release();
    const { account, created } = ok(await connecting);

    expect(created).toBe(true);
    expect(account).toMatchObject({ providerId: PROVIDER_ID, subject: 'loopback-user' });
    const tab = await systemBrowser.lastTab();
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('Signed in');
    // One code exchanged: the provider's. The forged one never reached the token endpoint.
    expect(peers.server.counts.tokenRequests).toBe(1);
    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('ECONNREFUSED');
  });

  it('cancelling while the browser shows the login page stops the listener', async () => {
    const { fixture, systemBrowser } = await newBrowserApp('ignore');

    const connecting = fixture.api.connect({ providerId: PROVIDER_ID });
    expect(await waitUntil(() => systemBrowser.opened.length === 1, 10_000)).toBe(true);
    const { redirect } = openedUrl(systemBrowser);
    // Listening while the user signs in (the check below is not vacuous).
    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('open');
    expect(ok(await fixture.api.cancelConnect({ providerId: PROVIDER_ID })).cancelled).toBe(true);

    expect(isError(failed(await connecting), 'consentCancelled')).toBe(true);
    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('ECONNREFUSED');
    expect(ok(await fixture.api.listAccounts())).toEqual([]);
  });

  it('a sign-in left open past the time limit stops the listener with a time-out error', async () => {
    const { fixture, systemBrowser } = await newBrowserApp('ignore', { consentTimeoutMs: 1_500 });

    const error = failed(await fixture.api.connect({ providerId: PROVIDER_ID }));

    expect(isError(error, 'consentTimedOut')).toBe(true);
    const { redirect } = openedUrl(systemBrowser);
    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('ECONNREFUSED');
    expect(peers.server.counts.tokenRequests).toBe(0);
  });

  it('a browser that cannot be opened fails the connect as consent unavailable and stops the listener', async () => {
    const opened: string[] = [];
    const fixture = await newApp((url) => {
      opened.push(url);
      return Promise.reject(new Error('no default browser'));
    });

    const error = failed(await fixture.api.connect({ providerId: PROVIDER_ID }));

    expect(isError(error, 'consentUnavailable')).toBe(true);
    expect(error.traces?.join(' ')).toContain('no default browser');
    expect(opened).toHaveLength(1);
    const redirect = new URL(new URL(opened[0] ?? '').searchParams.get('redirect_uri') ?? '');
    expect(await tcpProbe('127.0.0.1', Number(redirect.port))).toBe('ECONNREFUSED');
  });
});

// ---------------------------------------------------------------------------------------------
// The listener on its own

describe('the loopback listener', () => {
  const CALLBACK_PATH = '/callback/local-test';
  const sessions: ConsentSession[] = [];

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
  });

  const begin = async (
    overrides: Partial<Pick<ConsentRequest, 'redirectHost' | 'callbackPath'>> = {},
    options: LoopbackOptions = {},
  ) => {
    const controller = new AbortController();
    const opened: string[] = [];
    const port = createLoopbackConsent((url) => {
      opened.push(url);
      return Promise.resolve();
    }, options);
    const session = await port.begin({
      providerId: 'local-test',
      mode: 'system-browser',
      redirectHost: overrides.redirectHost ?? '127.0.0.1',
      callbackPath: overrides.callbackPath ?? CALLBACK_PATH,
      signal: controller.signal,
    });
    sessions.push(session);
    const authorizationUrl = new URL(
      `https://issuer.example/auth?client_id=c&redirect_uri=${encodeURIComponent(session.redirectUri)}&state=s1`,
    );
    return { controller, opened, session, authorizationUrl, port: portOf(session.redirectUri) };
  };

  describe('where it listens', () => {
    it('announces http://127.0.0.1 with a port of its own and the exact callback path', async () => {
      const first = await begin();
      const second = await begin();

      const uri = new URL(first.session.redirectUri);
      expect(uri.protocol).toBe('http:');
      expect(uri.hostname).toBe('127.0.0.1');
      expect(first.port).toBeGreaterThan(0);
      expect(uri.pathname).toBe(CALLBACK_PATH);
      expect(uri.search).toBe('');
      expect(first.session.redirectUri).toBe(`http://127.0.0.1:${first.port}${CALLBACK_PATH}`);
      // Two attempts at once each have their own listener.
      expect(second.port).not.toBe(first.port);
      expect(await tcpProbe('127.0.0.1', first.port)).toBe('open');
      expect(await tcpProbe('127.0.0.1', second.port)).toBe('open');
    });

    it("is not reachable on the machine's other IPv4 address", async (ctx) => {
      const address = otherIpv4();
      if (address === undefined) {
        console.info('skipped: this machine has no non-loopback IPv4 address to probe');
        ctx.skip('no non-loopback IPv4 address on this machine');
        return;
      }
      // The probe can tell: a listener on every address is reachable there.
      const everywhere = createTcpServer();
      await new Promise<void>((resolve) => everywhere.listen(0, '0.0.0.0', resolve));
      const { port: controlPort } = everywhere.address() as { port: number };
      const control = await tcpProbe(address, controlPort);
      await new Promise((resolve) => everywhere.close(resolve));
      expect(control).toBe('open');

      const { port } = await begin();
      expect(await tcpProbe('127.0.0.1', port)).toBe('open');
      expect(await tcpProbe(address, port)).toBe('ECONNREFUSED');
    });

    it('is not reachable on the IPv6 loopback ::1 when the redirect host is 127.0.0.1', async (ctx) => {
      if (!hasIpv6Loopback()) {
        console.info('skipped: this machine has no ::1 (IPv6 loopback) to probe');
        ctx.skip('no ::1 on this machine');
        return;
      }
      const { port } = await begin();
      expect(await tcpProbe('127.0.0.1', port)).toBe('open');
      expect(await tcpProbe('::1', port)).toBe('ECONNREFUSED');
    });

    describe('for a localhost redirect (Microsoft registers http://localhost)', () => {
      // A browser may resolve localhost to ::1 first. Were the listener on 127.0.0.1 alone,
      // another program could listen on ::1 at the same port and receive the sign-in's code.
      it('listens on ::1 as well as 127.0.0.1, on the same port, and takes the callback on either', async (ctx) => {
        if (!hasIpv6Loopback()) {
          console.info('skipped: this machine has no ::1 (IPv6 loopback) to probe');
          ctx.skip('no ::1 on this machine');
          return;
        }
        const viaV6 = await begin({ redirectHost: 'localhost' });
        expect(viaV6.session.redirectUri).toBe(`http://localhost:${viaV6.port}${CALLBACK_PATH}`);
        expect(await tcpProbe('127.0.0.1', viaV6.port)).toBe('open');
        expect(await tcpProbe('::1', viaV6.port)).toBe('open');

        const authorized = viaV6.session.authorize(viaV6.authorizationUrl);
        const answer = await httpRequest(
          `http://[::1]:${viaV6.port}${CALLBACK_PATH}?code=c6&state=s1`,
          { host: `localhost:${viaV6.port}` },
        );
        expect(answer.status).toBe(200);
        expect((await authorized).href).toBe(`${viaV6.session.redirectUri}?code=c6&state=s1`);
        await viaV6.session.close();
        expect(await tcpProbe('::1', viaV6.port)).toBe('ECONNREFUSED');
        expect(await tcpProbe('127.0.0.1', viaV6.port)).toBe('ECONNREFUSED');

        const viaV4 = await begin({ redirectHost: 'localhost' });
        const authorizedV4 = viaV4.session.authorize(viaV4.authorizationUrl);
        expect((await httpRequest(`${viaV4.session.redirectUri}?code=c4&state=s1`)).status).toBe(
          200,
        );
        expect((await authorizedV4).searchParams.get('code')).toBe('c4');
      });

      /** Another program's listener on ::1: counts the connections it gets. */
      const holdIpv6Port = async (cleanups: (() => Promise<void>)[]) => {
        let connections = 0;
        const squatter = createTcpServer((socket) => {
          connections += 1;
          socket.destroy();
        });
        await new Promise<void>((resolve, reject) => {
          squatter.once('error', reject);
          squatter.listen(0, '::1', resolve);
        });
        cleanups.push(() => new Promise((resolve) => squatter.close(() => resolve())));
        return {
          port: (squatter.address() as { port: number }).port,
          connections: () => connections,
        };
      };

      const squatters: (() => Promise<void>)[] = [];
      afterEach(async () => {
        for (const release of squatters.splice(0)) await release();
      });

      it('moves to another port when another program holds ::1 at the one it got', async (ctx) => {
        if (!hasIpv6Loopback()) {
          console.info('skipped: this machine has no ::1 (IPv6 loopback) to probe');
          ctx.skip('no ::1 on this machine');
          return;
        }
        const squatter = await holdIpv6Port(squatters);

        // The first port tried is the one the other program holds on ::1 (free on 127.0.0.1).
        const { session, port } = await begin(
          { redirectHost: 'localhost' },
          { ports: [squatter.port, 0] },
        );

        expect(port).not.toBe(squatter.port);
        expect(await tcpProbe('127.0.0.1', port)).toBe('open');
        expect(await tcpProbe('::1', port)).toBe('open');
        // Nothing of this attempt listens at the held port, on either address.
        expect(await tcpProbe('127.0.0.1', squatter.port)).toBe('ECONNREFUSED');
        expect(session.redirectUri).toBe(`http://localhost:${port}${CALLBACK_PATH}`);
        const before = squatter.connections();
        expect(await tcpProbe('::1', squatter.port)).toBe('open');
        expect(squatter.connections()).toBe(before + 1);
      });

      it('fails clearly, and listens nowhere, when ::1 is held at every port it may use', async (ctx) => {
        if (!hasIpv6Loopback()) {
          console.info('skipped: this machine has no ::1 (IPv6 loopback) to probe');
          ctx.skip('no ::1 on this machine');
          return;
        }
        const squatter = await holdIpv6Port(squatters);

        const error: unknown = await begin(
          { redirectHost: 'localhost' },
          { ports: [squatter.port] },
        ).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(CoreFailure);
        expect((error as CoreFailure).errorName).toBe('consentUnavailable');
        expect((error as CoreFailure).message).toMatch(/another program .*::1/);
        expect(await tcpProbe('127.0.0.1', squatter.port)).toBe('ECONNREFUSED');
        expect(squatter.connections()).toBe(0);
      });
    });
  });

  describe('what it answers', () => {
    it('opens the browser on exactly the authorization URL it is given', async () => {
      const { session, opened, authorizationUrl } = await begin();
      const pending = observe(session.authorize(authorizationUrl));
      await settleIo();
      expect(opened).toEqual([authorizationUrl.href]);
      expect(pending.settled).toBe(false);
    });

    it.each([
      ['the root', '/'],
      ['another provider’s path', '/callback/other'],
      ['a longer path', `${CALLBACK_PATH}/extra`],
      ['a trailing slash', `${CALLBACK_PATH}/`],
      ['a prefix of the path', '/callback'],
      ['another case', CALLBACK_PATH.toUpperCase()],
      ['a favicon', '/favicon.ico'],
    ])('answers 404 to %s, and keeps waiting for the callback', async (_name, path) => {
      const { session, authorizationUrl, port } = await begin();
      const pending = observe(session.authorize(authorizationUrl));

      const answer = await httpRequest(`http://127.0.0.1:${port}${path}?code=c&state=s1`);
      await settleIo();

      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain(CLOSE_TAB_TEXT);
      expect(pending.settled).toBe(false);
      // The right callback still ends the attempt.
      expect((await httpRequest(`${session.redirectUri}?code=c&state=s1`)).status).toBe(200);
      await settleIo();
      expect(pending.settled).toBe(true);
    });

    it.each(['POST', 'PUT', 'DELETE'])(
      'answers 404 to %s on the callback path, and keeps waiting',
      async (method) => {
        const { session, authorizationUrl } = await begin();
        const pending = observe(session.authorize(authorizationUrl));

        const answer = await httpRequest(`${session.redirectUri}?code=c&state=s1`, { method });
        await settleIo();

        expect(answer.status).toBe(404);
        expect(pending.settled).toBe(false);
      },
    );

    it('answers the callback with the "close this tab" page and hands the full callback URL to the core', async () => {
      const { session, authorizationUrl } = await begin();
      const authorized = session.authorize(authorizationUrl);
      const query = '?code=the-code&state=s1&iss=https%3A%2F%2Fissuer.example';

      const answer = await httpRequest(`${session.redirectUri}${query}`);

      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      // The page must not be served again from a cache on a later sign-in.
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.body).toContain(CLOSE_TAB_TEXT);
      const callback = await authorized;
      expect(callback.href).toBe(`${session.redirectUri}${query}`);
      expect(callback.searchParams.get('code')).toBe('the-code');
    });

    it.each(['localhost', '[::1]', 'LOCALHOST'])(
      'accepts the Host %s:<port>, and builds the callback URL from its own address',
      async (host) => {
        const { session, authorizationUrl, port } = await begin();
        const authorized = session.authorize(authorizationUrl);

        const answer = await httpRequest(
          `http://127.0.0.1:${port}${CALLBACK_PATH}?code=c&state=s1`,
          { host: `${host}:${port}` },
        );

        expect(answer.status).toBe(200);
        expect((await authorized).href).toBe(`${session.redirectUri}?code=c&state=s1`);
      },
    );

    it.each([
      ['another host', (port: number) => `evil.example:${port}`],
      ['another host and port', () => 'evil.example:8443'],
      ['a host that starts with localhost', (port: number) => `localhost.evil.example:${port}`],
      ['this machine’s other address', (port: number) => `192.0.2.2:${port}`],
      ['another port', (port: number) => `127.0.0.1:${port + 1}`],
      ['no port', () => '127.0.0.1'],
      ['user info', (port: number) => `user@127.0.0.1:${port}`],
    ])(
      'answers 400 to a request whose Host is %s (a rebound host name), and keeps waiting',
      async (_name, hostFor) => {
        const { session, authorizationUrl, port } = await begin();
        const pending = observe(session.authorize(authorizationUrl));

        const answer = await httpRequest(
          `http://127.0.0.1:${port}${CALLBACK_PATH}?code=c&state=s1`,
          { host: hostFor(port) },
        );
        await settleIo();

        expect(answer.status).toBe(400);
        expect(answer.body).not.toContain(CLOSE_TAB_TEXT);
        expect(pending.settled).toBe(false);
        expect((await httpRequest(`${session.redirectUri}?code=c&state=s1`)).status).toBe(200);
        await settleIo();
        expect(pending.settled).toBe(true);
      },
    );

    it.each([
      ['another state', '?code=c&state=s2'],
      ['no state', '?code=c'],
      ['an empty state', '?code=c&state='],
      ['a longer state', '?code=c&state=s1x'],
      ['the state twice', '?code=c&state=s1&state=s1'],
      ['a provider error with another state', '?error=access_denied&state=s2'],
      ['a provider error without state', '?error=access_denied'],
    ])(
      'answers 400 to a callback with %s, and keeps waiting for the real one',
      async (_name, query) => {
        const { session, authorizationUrl } = await begin();
        const pending = observe(session.authorize(authorizationUrl));

        const answer = await httpRequest(`${session.redirectUri}${query}`);
        await settleIo();

        expect(answer.status).toBe(400);
        expect(answer.body).toContain('Sign-in not completed');
        expect(answer.headers['cache-control']).toBe('no-store');
        expect(pending.settled).toBe(false);
        // The callback with this attempt's state still ends it, with its own code.
        expect((await httpRequest(`${session.redirectUri}?code=real&state=s1`)).status).toBe(200);
        await settleIo();
        expect(pending.settled).toBe(true);
        expect(pending.value?.searchParams.get('code')).toBe('real');
      },
    );

    it('answers 400 to a callback that comes before the browser was even opened', async () => {
      const { session, authorizationUrl } = await begin();

      expect((await httpRequest(`${session.redirectUri}?code=c&state=s1`)).status).toBe(400);

      const authorized = session.authorize(authorizationUrl);
      expect((await httpRequest(`${session.redirectUri}?code=c&state=s1`)).status).toBe(200);
      expect((await authorized).searchParams.get('code')).toBe('c');
    });

    it('refuses a malformed Host header with 400 instead of crashing on it', async () => {
      const { session, authorizationUrl, port } = await begin();
      const authorized = session.authorize(authorizationUrl);

      // Any local program can send this (a browser cannot, nor Node's own client). Parsing the
      // request URL against it threw inside the handler: an uncaught error that ends the app.
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port });
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
        socket.write(
          `GET ${CALLBACK_PATH}?code=c&state=s1 HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n`,
        );
      });

      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect((await httpRequest(`${session.redirectUri}?code=c&state=s1`)).status).toBe(200);
      expect((await authorized).href).toBe(`${session.redirectUri}?code=c&state=s1`);
    });

    it('passes an error callback through as it came (the core turns it into a consent error)', async () => {
      const { session, authorizationUrl, port } = await begin();
      const authorized = session.authorize(authorizationUrl);
      const query = '?error=access_denied&error_description=The+user+said+no&state=s1';

      const answer = await httpRequest(`${session.redirectUri}${query}`);

      expect(answer.status).toBe(200);
      const callback = await authorized;
      expect(callback.href).toBe(`${session.redirectUri}${query}`);
      expect(callback.searchParams.get('error')).toBe('access_denied');
      await session.close();
      expect(await tcpProbe('127.0.0.1', port)).toBe('ECONNREFUSED');
    });

    it('takes one callback only: a second request gets 404 and does not change the answer', async () => {
      const { session, authorizationUrl } = await begin();
      const authorized = session.authorize(authorizationUrl);

      expect((await httpRequest(`${session.redirectUri}?code=first&state=s1`)).status).toBe(200);
      const second = await httpRequest(`${session.redirectUri}?code=second&state=s1`);

      expect(second.status).toBe(404);
      expect(second.body).not.toContain(CLOSE_TAB_TEXT);
      expect((await authorized).searchParams.get('code')).toBe('first');
    });
  });

  describe('when it stops listening', () => {
    it('after the callback and close(): connections are refused (close twice is harmless)', async () => {
      const { session, authorizationUrl, port } = await begin();
      const authorized = session.authorize(authorizationUrl);
      await httpRequest(`${session.redirectUri}?code=c&state=s1`);
      await authorized;

      await session.close();
      await session.close();

      expect(await tcpProbe('127.0.0.1', port)).toBe('ECONNREFUSED');
    });

    it.each([
      ['cancelled', 'cancelled'],
      ['timeout', 'timeout'],
    ] as const)(
      'after an abort with reason %s: authorize rejects with ConsentAborted(%s), and close() stops it',
      async (reason, expected) => {
        const { session, authorizationUrl, controller, port } = await begin();
        const authorized = session.authorize(authorizationUrl);

        controller.abort(reason);

        const error: unknown = await authorized.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConsentAborted);
        expect((error as ConsentAborted).reason).toBe(expected);
        await session.close();
        expect(await tcpProbe('127.0.0.1', port)).toBe('ECONNREFUSED');
      },
    );

    it('an attempt aborted before authorize() never opens the browser', async () => {
      const { session, authorizationUrl, controller, opened } = await begin();
      controller.abort('cancelled');

      const error: unknown = await session.authorize(authorizationUrl).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConsentAborted);
      expect(opened).toEqual([]);
    });

    it('close() while a browser connection is still open does not wait for that connection', async () => {
      const { session, port } = await begin();
      // A browser keeps speculative connections open; closing must not hang on them.
      const idle = connect({ host: '127.0.0.1', port });
      await new Promise((resolve) => idle.once('connect', resolve));
      const ended = new Promise((resolve) => idle.once('close', resolve));

      // Bounded: a close() that waits for the idle connection would hang until the test time-out.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('close() still waiting after 5 s')), 5_000);
      });
      await Promise.race([session.close(), late]).finally(() => clearTimeout(timer));

      await ended;
      expect(await tcpProbe('127.0.0.1', port)).toBe('ECONNREFUSED');
    });
  });
});
