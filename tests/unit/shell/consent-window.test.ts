/**
 * The embedded consent window (docs SECURITY.md "The consent window"): a hardened window without
 * preload on a fresh in-memory partition per attempt, every permission and new window refused,
 * and the redirect caught before it loads — through whichever of will-redirect, will-navigate
 * and onBeforeRequest sees it first, exactly once, and never for a lookalike URL. Closing the
 * window, cancelling and the time limit each end the attempt with their own reason.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { CoreFailure } from '../../../main/core/core-failure';
import { ConsentAborted, type ConsentRequest, type ConsentSession } from '../../../main/core/ports';
import { createConsentWindowPort } from '../../../main/shell/consent-window';
import { hardenedWebPreferences } from '../../../main/shell/hardened-window';
import { createCapturingLogger, type CapturingLogger } from '../helpers/capturing-logger';
import type { FakeBrowserWindow, FakeSession, FakeWebContents } from '../helpers/mock-electron';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

const REDIRECT_URI = 'http://127.0.0.1/callback/oidc';
const AUTHORIZATION_URL = new URL(
  'https://id.example.test/authorize?client_id=tokendesk&state=s-1&code_challenge=c',
);
const CALLBACK = `${REDIRECT_URI}?code=code-1&state=s-1&iss=https%3A%2F%2Fid.example.test`;

/** URLs that look like the redirect URI but are not it: none may end the attempt. */
const LOOKALIKES = [
  ['another port', 'http://127.0.0.1:8080/callback/oidc?code=x'],
  ['a longer last segment', 'http://127.0.0.1/callback/oidcX?code=x'],
  ['a path below it', 'http://127.0.0.1/callback/oidc/extra?code=x'],
  ['a trailing slash', 'http://127.0.0.1/callback/oidc/?code=x'],
  ['localhost for 127.0.0.1', 'http://localhost/callback/oidc?code=x'],
  // (`http://127.0.0.1.example/…` is not loaded at all: plain http off this computer, below.)
  ['a domain that starts with the IP', 'https://127.0.0.1.example/callback/oidc?code=x'],
  ['https for http', 'https://127.0.0.1/callback/oidc?code=x'],
  ['user info', 'http://user@127.0.0.1/callback/oidc?code=x'],
  ['user and password', 'http://user:pw@127.0.0.1/callback/oidc?code=x'],
  ['IPv6 loopback', 'http://[::1]/callback/oidc?code=x'],
  ['the path in the query', 'https://evil.example/?next=http://127.0.0.1/callback/oidc'],
] as const;

const PATHS = ['will-redirect', 'will-navigate', 'onBeforeRequest'] as const;
type Path = (typeof PATHS)[number];

interface Attempt {
  readonly consent: ConsentSession;
  readonly window: FakeBrowserWindow;
  readonly contents: FakeWebContents;
  readonly session: FakeSession;
  readonly controller: AbortController;
  readonly signal: AbortSignal;
}

let logger: CapturingLogger;

const begin = async (
  overrides: Partial<Omit<ConsentRequest, 'signal'>> = {},
  options: { parent?: () => BrowserWindow | undefined; controller?: AbortController } = {},
): Promise<Attempt> => {
  const controller = options.controller ?? new AbortController();
  const port = createConsentWindowPort({
    logger,
    ...(options.parent ? { parent: options.parent } : {}),
  });
  const consent = await port.begin({
    providerId: 'oidc',
    mode: 'embedded',
    redirectHost: '127.0.0.1',
    callbackPath: '/callback/oidc',
    signal: controller.signal,
    ...overrides,
  });
  const window = electron.BrowserWindow.instances.at(-1);
  if (!window) throw new Error('no consent window was created');
  return {
    consent,
    window,
    contents: window.webContents,
    session: window.webContents.session,
    controller,
    signal: controller.signal,
  };
};

/** Sends a URL down one of the three paths; answers whether that path stopped it from loading. */
const arrive = (attempt: Attempt, path: Path, url: string): boolean => {
  if (path === 'onBeforeRequest') return attempt.session.request(url)?.cancel === true;
  return attempt.contents.navigate(path, url);
};

/** Whether a promise has settled once everything already queued has run. */
const settledState = async (promise: Promise<unknown>): Promise<string> => {
  let state = 'pending';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  return state;
};

const abortedWith = async (promise: Promise<unknown>): Promise<ConsentAborted['reason']> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConsentAborted);
  return (error as ConsentAborted).reason;
};

beforeEach(() => {
  vi.clearAllMocks();
  logger = createCapturingLogger();
});

afterEach(() => {
  electron.BrowserWindow.instances.length = 0;
});

describe('the window', () => {
  it('is hardened like every window, with no preload, on its own session', async () => {
    const { window, session, consent } = await begin();

    expect(window.options.webPreferences).toEqual({ ...hardenedWebPreferences(), session });
    expect(window.options.webPreferences).not.toHaveProperty('preload');
    expect(window.options).toMatchObject({ show: false });
    expect(consent.redirectUri).toBe(REDIRECT_URI);
  });

  it('uses an in-memory partition (not persist:), a new one for every attempt', async () => {
    const first = await begin();
    const second = await begin();

    const partitions = electron.session.fromPartition.mock.calls.map(([partition]) => partition);
    expect(partitions).toHaveLength(2);
    for (const partition of partitions) expect(partition).not.toMatch(/^persist:/);
    expect(partitions[0]).not.toBe(partitions[1]);
    // A second account must start from a signed-out provider page: no shared cookies.
    expect(first.session).not.toBe(second.session);
    expect(first.session).not.toBe(electron.defaultSession);
  });

  it('is shown once it is ready, not before', async () => {
    const { window } = await begin();
    expect(window.show).not.toHaveBeenCalled();

    window.emit('ready-to-show');

    expect(window.show).toHaveBeenCalledOnce();
  });

  it('sits on the app window when there is one, and stands alone when it was closed', async () => {
    const app = new electron.BrowserWindow();
    const parent = () => app as unknown as BrowserWindow;

    expect((await begin({}, { parent })).window.options.parent).toBe(app);

    app.destroyed = true;
    expect((await begin({}, { parent })).window.options).not.toHaveProperty('parent');
  });

  it('refuses every permission, including opening external apps', async () => {
    const { session } = await begin();

    for (const permission of ['openExternal', 'media', 'geolocation', 'notifications']) {
      expect(session.requestPermission(permission), permission).toBe(false);
      expect(session.checkPermission(permission), permission).toBe(false);
    }
  });

  it('opens no other windows', async () => {
    const { contents } = await begin();

    expect(contents.openWindow('https://id.example.test/help')).toEqual({ action: 'deny' });
    expect(contents.openWindow(CALLBACK)).toEqual({ action: 'deny' });
  });

  it('loads the authorization URL', async () => {
    const { consent, window } = await begin();

    void consent.authorize(AUTHORIZATION_URL);

    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith(AUTHORIZATION_URL.href);
  });
});

describe('catching the redirect', () => {
  it.each(PATHS)('via %s: stops it and answers the callback URL, query intact', async (path) => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    expect(arrive(attempt, path, CALLBACK)).toBe(true);

    const url = await received;
    expect(url.href).toBe(CALLBACK);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      code: 'code-1',
      state: 's-1',
      iss: 'https://id.example.test',
    });
    expect(attempt.window.destroy).toHaveBeenCalledOnce();
  });

  it('on a provider registered with localhost, waits for localhost only', async () => {
    const attempt = await begin({ redirectHost: 'localhost' });
    const received = attempt.consent.authorize(AUTHORIZATION_URL);
    expect(attempt.consent.redirectUri).toBe('http://localhost/callback/oidc');

    expect(arrive(attempt, 'will-redirect', 'http://127.0.0.1/callback/oidc?code=x')).toBe(false);
    expect(await settledState(received)).toBe('pending');

    expect(arrive(attempt, 'will-redirect', 'http://localhost/callback/oidc?code=y')).toBe(true);
    expect((await received).searchParams.get('code')).toBe('y');
  });

  it('settles once when all three paths see the same redirect, and destroys the window once', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);
    const second = `${REDIRECT_URI}?code=code-2&state=s-1`;

    expect(arrive(attempt, 'will-redirect', CALLBACK)).toBe(true);
    // The later sightings are still stopped: the redirect never reaches 127.0.0.1.
    expect(arrive(attempt, 'onBeforeRequest', CALLBACK)).toBe(true);
    expect(arrive(attempt, 'will-navigate', second)).toBe(true);

    expect((await received).href).toBe(CALLBACK);
    expect(attempt.window.destroy).toHaveBeenCalledOnce();
    // Destroying fires `closed`, which must not turn the success into an abort.
    expect(await settledState(received)).toBe('resolved');
  });

  it.each(['image', 'xhr', 'subFrame'])(
    'cancels a %s request to the redirect URI without settling on it',
    async (resourceType) => {
      const attempt = await begin();
      const received = attempt.consent.authorize(AUTHORIZATION_URL);
      const planted = `${REDIRECT_URI}?code=planted&state=s-1`;

      expect(attempt.session.request(planted, resourceType)?.cancel).toBe(true);
      expect(await settledState(received)).toBe('pending');
      // The window's own navigation still ends the sign-in, with its own code.
      expect(arrive(attempt, 'onBeforeRequest', CALLBACK)).toBe(true);
      expect((await received).href).toBe(CALLBACK);
    },
  );

  it('stops a frame’s server redirect to the redirect URI without settling on it', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);
    const planted = `${REDIRECT_URI}?code=planted&state=other`;

    expect(attempt.contents.navigate('will-redirect', planted, 'sub')).toBe(true);
    expect(await settledState(received)).toBe('pending');
    expect(attempt.window.destroy).not.toHaveBeenCalled();
    // The window's own redirect still ends the sign-in, with its own code.
    expect(arrive(attempt, 'will-redirect', CALLBACK)).toBe(true);
    expect((await received).href).toBe(CALLBACK);
  });

  describe.each(PATHS)('leaves lookalikes alone via %s', (path) => {
    it.each(LOOKALIKES)('%s', async (_case, url) => {
      const attempt = await begin();
      const received = attempt.consent.authorize(AUTHORIZATION_URL);

      expect(arrive(attempt, path, url)).toBe(false);

      expect(await settledState(received)).toBe('pending');
      expect(attempt.window.destroy).not.toHaveBeenCalled();
      // The real redirect still ends the attempt afterwards.
      expect(arrive(attempt, path, CALLBACK)).toBe(true);
      expect((await received).href).toBe(CALLBACK);
    });
  });

  it('lets the provider’s pages navigate among themselves', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    expect(arrive(attempt, 'will-navigate', 'https://id.example.test/login?x=1')).toBe(false);
    expect(arrive(attempt, 'will-redirect', 'https://sso.example.test/saml')).toBe(false);
    expect(attempt.session.request('https://id.example.test/app.js', 'script')).toEqual({});

    expect(await settledState(received)).toBe('pending');
  });

  it.each([
    'file:///etc/passwd',
    'tokendesk://callback?code=x',
    'ms-settings:privacy',
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
  ])('never navigates to a non-web URL: %s', async (url) => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    expect(arrive(attempt, 'will-navigate', url)).toBe(true);

    // Stopped, but it is not the redirect: the attempt goes on.
    expect(await settledState(received)).toBe('pending');
    expect(attempt.window.destroy).not.toHaveBeenCalled();
  });
});

describe('ending without a redirect', () => {
  it('closing the window aborts with reason "closed"', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    attempt.window.close();

    expect(await abortedWith(received)).toBe('closed');
  });

  it('a window closed before authorize is awaited still reports "closed", without loading', async () => {
    const attempt = await begin();
    attempt.window.close();

    expect(await abortedWith(attempt.consent.authorize(AUTHORIZATION_URL))).toBe('closed');
    expect(attempt.window.loadURL).not.toHaveBeenCalled();
  });

  it('the time limit aborts with reason "timeout" and destroys the window', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    attempt.controller.abort('timeout');

    expect(await abortedWith(received)).toBe('timeout');
    expect(attempt.window.destroyed).toBe(true);
  });

  it.each([
    ['no reason', undefined],
    ['"cancelled"', 'cancelled'],
    ['an Error', new Error('user cancelled')],
  ])('any other abort (%s) is "cancelled"', async (_case, reason) => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    attempt.controller.abort(reason);

    expect(await abortedWith(received)).toBe('cancelled');
    expect(attempt.window.destroyed).toBe(true);
  });

  it('a signal aborted before authorize rejects without loading anything', async () => {
    const controller = new AbortController();
    controller.abort('timeout');
    const attempt = await begin({}, { controller });

    expect(await abortedWith(attempt.consent.authorize(AUTHORIZATION_URL))).toBe('timeout');
    expect(attempt.window.loadURL).not.toHaveBeenCalled();
    expect(attempt.window.destroyed).toBe(true);
  });

  it('a redirect after an abort changes nothing', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);
    attempt.controller.abort('timeout');

    arrive(attempt, 'onBeforeRequest', CALLBACK);

    expect(await abortedWith(received)).toBe('timeout');
  });
});

describe('load failures', () => {
  it('a page that fails to load is logged, and the attempt goes on', async () => {
    const attempt = await begin();
    attempt.window.loadURL.mockRejectedValueOnce(new Error('ERR_NAME_NOT_RESOLVED (-105)'));
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    expect(await settledState(received)).toBe('pending');
    expect(logger.entries).toEqual([
      {
        level: 'warn',
        message: 'consent page failed to load',
        fields: { reason: 'ERR_NAME_NOT_RESOLVED (-105)' },
      },
    ]);
  });

  it('the load cancelled by catching the redirect is expected, not logged', async () => {
    const attempt = await begin();
    let failLoad: (error: Error) => void = () => undefined;
    attempt.window.loadURL.mockReturnValueOnce(
      new Promise((_resolve, reject) => {
        failLoad = reject;
      }),
    );
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    arrive(attempt, 'will-redirect', CALLBACK);
    failLoad(new Error(`ERR_ABORTED (-3) loading '${CALLBACK}'`));

    expect((await received).href).toBe(CALLBACK);
    await settledState(received);
    expect(logger.entries).toEqual([]);
  });
});

describe('close()', () => {
  it('clears the partition’s storage, removes the request listener and destroys the window', async () => {
    const attempt = await begin();
    void attempt.consent.authorize(AUTHORIZATION_URL);
    expect(attempt.session.beforeRequestListener()).not.toBeNull();

    await attempt.consent.close();

    expect(attempt.session.clearStorageData).toHaveBeenCalledOnce();
    expect(attempt.session.beforeRequestListener()).toBeNull();
    expect(attempt.window.destroyed).toBe(true);
  });

  it('after a successful redirect, still clears the sign-in', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);
    arrive(attempt, 'will-redirect', CALLBACK);
    await received;

    await attempt.consent.close();

    expect(attempt.session.clearStorageData).toHaveBeenCalledOnce();
    expect(attempt.session.beforeRequestListener()).toBeNull();
    expect(attempt.window.destroy).toHaveBeenCalledOnce();
  });

  it('stops listening to the signal, and is safe to call twice', async () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const attempt = await begin({}, { controller });

    await attempt.consent.close();
    await attempt.consent.close();

    const listener = add.mock.calls.find(([type]) => type === 'abort')?.[1];
    expect(listener).toBeTypeOf('function');
    expect(remove).toHaveBeenCalledWith('abort', listener);
    expect(attempt.window.destroy).toHaveBeenCalledOnce();
  });
});

/** The error an attempt ended with (it must not have ended any other way). */
const failureOf = async (promise: Promise<unknown>): Promise<CoreFailure> => {
  expect(await settledState(promise)).toBe('rejected');
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CoreFailure);
  return error as CoreFailure;
};

/** Plain http off this computer: never shown in the window. */
const INSECURE_PAGES = [
  [
    'plain http on another host',
    'http://id.example.test/authorize?state=s-1',
    'http://id.example.test',
  ],
  ['plain http on a LAN address', 'http://192.168.1.20:8080/authorize', 'http://192.168.1.20:8080'],
  [
    'a host that starts with 127.0.0.1',
    'http://127.0.0.1.example/callback/oidc?code=x',
    'http://127.0.0.1.example',
  ],
  ['another 127/8 address spelled out', 'http://127.0.0.2/authorize', 'http://127.0.0.2'],
] as const;

/** https anywhere, and plain http on this computer (local identity providers, tests). */
const ALLOWED_PAGES = [
  'https://id.example.test/authorize?state=s-1',
  'https://id.example.test:8443/authorize',
  'http://127.0.0.1:3000/authorize',
  'http://localhost:3000/authorize',
  'http://[::1]:3000/authorize',
] as const;

describe('what the window may load: https, or plain http on this computer', () => {
  it.each(ALLOWED_PAGES)('loads the authorization URL %s', async (url) => {
    const { consent, window } = await begin();

    const received = consent.authorize(new URL(url));

    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith(new URL(url).href);
    expect(await settledState(received)).toBe('pending');
  });

  it.each([
    ...INSECURE_PAGES,
    ['ftp', 'ftp://id.example.test/authorize', 'ftp://id.example.test'] as const,
  ])(
    'refuses an authorization URL on %s: nothing is loaded, the attempt fails saying why',
    async (_case, url, origin) => {
      const { consent, window } = await begin({ providerName: 'Local IdP' });

      const failure = await failureOf(consent.authorize(new URL(url)));

      expect(window.loadURL).not.toHaveBeenCalled();
      expect(window.destroyed).toBe(true);
      expect(failure.errorName).toBe('consentUnavailable');
      expect(failure.message).toContain(origin);
      expect(failure.message).toContain('https');
      // Only the origin: the URL's query (state, challenge, nonce) is not the user's business.
      expect(failure.message).not.toContain('state=');
      expect(failure.message).not.toContain('/authorize');
    },
  );

  describe.each(['will-navigate', 'will-redirect', 'onBeforeRequest'] as const)(
    'a page that goes on to an insecure page (%s)',
    (path) => {
      it.each(INSECURE_PAGES)(
        '%s: stopped, and the attempt fails saying where',
        async (_c, url, origin) => {
          const attempt = await begin();
          const received = attempt.consent.authorize(AUTHORIZATION_URL);

          expect(arrive(attempt, path, url)).toBe(true);

          const failure = await failureOf(received);
          expect(failure.errorName).toBe('consentUnavailable');
          expect(failure.message).toContain(origin);
          expect(attempt.window.destroyed).toBe(true);
          // A later redirect cannot turn the refusal into a sign-in.
          arrive(attempt, path, CALLBACK);
          expect(await failureOf(received)).toBe(failure);
        },
      );

      it.each(ALLOWED_PAGES)('%s: goes ahead', async (url) => {
        const attempt = await begin();
        const received = attempt.consent.authorize(AUTHORIZATION_URL);

        expect(arrive(attempt, path, url)).toBe(false);
        expect(await settledState(received)).toBe('pending');
      });
    },
  );

  it('a frame’s server redirect to plain http elsewhere is stopped; the sign-in goes on', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    expect(attempt.contents.navigate('will-redirect', 'http://ads.example.test/frame', 'sub')).toBe(
      true,
    );
    expect(await settledState(received)).toBe('pending');
  });

  it.each([
    ['subFrame', 'http://ads.example.test/frame'],
    ['script', 'http://cdn.example.test/login.js'],
    ['image', 'http://cdn.example.test/logo.png'],
    ['xhr', 'http://api.example.test/session'],
    ['webSocket', 'ws://push.example.test/'],
    ['script', 'ftp://cdn.example.test/login.js'],
  ])('cancels a %s from %s; the sign-in goes on', async (resourceType, url) => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    expect(attempt.session.request(url, resourceType)).toEqual({ cancel: true });
    expect(await settledState(received)).toBe('pending');
    expect(logger.entries).toContainEqual({
      level: 'warn',
      message: 'consent window refused an insecure request',
      fields: { target: new URL(url).origin },
    });
  });

  it.each([
    ['script', 'https://cdn.example.test/login.js'],
    ['xhr', 'http://127.0.0.1:3000/session'],
    ['webSocket', 'wss://push.example.test/'],
    ['webSocket', 'ws://localhost:3000/'],
  ])('lets a %s from %s through', async (resourceType, url) => {
    const attempt = await begin();
    void attempt.consent.authorize(AUTHORIZATION_URL);

    expect(attempt.session.request(url, resourceType)).toEqual({});
  });
});

describe('downloads', () => {
  it('refuses every download, logs where it came from, and the sign-in goes on', async () => {
    const attempt = await begin();
    const received = attempt.consent.authorize(AUTHORIZATION_URL);

    expect(attempt.session.download('https://id.example.test/files/setup.exe?token=x')).toBe(true);

    expect(await settledState(received)).toBe('pending');
    expect(logger.entries).toEqual([
      {
        level: 'warn',
        message: 'consent window refused a download',
        fields: { target: 'https://id.example.test' },
      },
    ]);
  });
});

describe('the window’s title', () => {
  it('says what it is for, naming the provider, and the page cannot change it', async () => {
    const { window } = await begin({ providerName: 'Local IdP' });
    expect(window.getTitle()).toBe('Sign in to Local IdP — Tokendesk');

    window.pageTitle('Google Accounts — secure sign-in');

    expect(window.getTitle()).toBe('Sign in to Local IdP — Tokendesk');
  });

  it('without a provider name, says "Sign in — Tokendesk"', async () => {
    const { window } = await begin();
    expect(window.getTitle()).toBe('Sign in — Tokendesk');

    window.pageTitle('Tokendesk — Settings');

    expect(window.getTitle()).toBe('Sign in — Tokendesk');
  });

  it('names the host of the page it shows, as an address bar would', async () => {
    const { window, contents, consent } = await begin({ providerName: 'Local IdP' });
    void consent.authorize(AUTHORIZATION_URL);

    contents.emit('did-navigate', {}, 'https://id.example.test/login?x=1', 200, 'OK');
    expect(window.getTitle()).toBe('Sign in to Local IdP at id.example.test — Tokendesk');

    contents.emit('did-navigate', {}, 'https://xn--ggle-55da.example/login', 200, 'OK');
    // The ASCII form of an international host: a lookalike shows as what it is.
    expect(window.getTitle()).toBe('Sign in to Local IdP at xn--ggle-55da.example — Tokendesk');

    contents.emit('did-navigate', {}, 'http://127.0.0.1:3000/interaction/1', 200, 'OK');
    expect(window.getTitle()).toBe('Sign in to Local IdP at 127.0.0.1:3000 — Tokendesk');
    window.pageTitle('Signed in');
    expect(window.getTitle()).toBe('Sign in to Local IdP at 127.0.0.1:3000 — Tokendesk');
  });
});
