/**
 * main/index.ts, imported with a mocked electron and mocked core modules: the single-instance
 * lock comes before anything else (and without it nothing starts), IPC is registered with the API
 * object, consent is routed by each provider's mode, openExternal opens only URLs the app could
 * have built, and the window, menu, tray, CSP and window state are wired.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsentPort, ConsentRequest } from '../../../main/core/ports';
import type { ElectronMock, FakeBrowserWindow } from '../helpers/mock-electron';

const h = await vi.hoisted(async () => {
  const { vi } = await import('vitest');
  const { createElectronMock } = await import('../helpers/mock-electron');
  const { CoreEvents } = await import('../../../main/core/events');
  const fakePort = () => ({
    begin: vi.fn((_request: ConsentRequest) => Promise.reject(new Error('not in this test'))),
  });
  const fresh = () => {
    const events = new CoreEvents();
    const core = {
      events,
      dispose: vi.fn(),
      wake: vi.fn(() => Promise.resolve()),
      hasPendingClipboardClear: vi.fn(() => false),
      clearClipboardBeforeQuit: vi.fn(() => Promise.resolve()),
    };
    const api = {
      listAccounts: vi.fn(() => Promise.resolve({ ok: true as const, value: [] })),
      listProviders: vi.fn(() =>
        Promise.resolve({ ok: true as const, value: { presets: [], configured: [] } }),
      ),
      copyToken: vi.fn(),
    };
    return {
      electron: createElectronMock(),
      core,
      api,
      embedded: fakePort(),
      loopback: fakePort(),
      windowStateFile: new Map<string, unknown>(),
      openStore: vi.fn(() => ({ kv: {}, document: {} })),
      createCore: vi.fn(
        (_options: {
          consent: ConsentPort;
          fetch?: unknown;
          resolveProxy?: (url: string) => Promise<string>;
        }) => core,
      ),
      createApi: vi.fn(() => api),
      registerIpc: vi.fn(),
      createConsentWindowPort: vi.fn(),
      createLoopbackConsent: vi.fn(),
      startCommandServer: vi.fn((_options: { userData: string; appCommand?: readonly string[] }) =>
        Promise.resolve({ channel: {}, close: vi.fn(() => Promise.resolve()) }),
      ),
    };
  };
  /**
   * vi.mock factories run once per file, not after vi.resetModules: each mocked module is a set
   * of getters onto the current test's fakes instead.
   */
  const delegate = <T extends object>(pick: () => T): T =>
    Object.defineProperties(
      {},
      Object.fromEntries(
        Object.keys(pick()).map((key) => [
          key,
          { enumerable: true, get: () => (pick() as Record<string, unknown>)[key] },
        ]),
      ),
    ) as T;
  return { fresh, delegate, current: fresh() };
});

vi.mock('electron', () => h.delegate(() => h.current.electron.module));
vi.mock('electron-store', () => ({
  default: class {
    // What withDurableWrites replaces on a real store (conf's write path); never used here.
    readonly path = '/nonexistent/window-state.json';
    _serialize = (value: unknown): string => JSON.stringify(value);
    _write(): void {}
    _ensureDirectory(): void {}
    get(key: string): unknown {
      return h.current.windowStateFile.get(key);
    }
    set(key: string, value: unknown): void {
      h.current.windowStateFile.set(key, structuredClone(value));
    }
  },
}));
vi.mock('../../../main/core/storage/open-store', () =>
  h.delegate(() => ({ openStore: h.current.openStore })),
);
vi.mock('../../../main/core/core', () => h.delegate(() => ({ createCore: h.current.createCore })));
vi.mock('../../../main/core/api/create-api', () =>
  h.delegate(() => ({ createApi: h.current.createApi })),
);
vi.mock('../../../main/shell/ipc-bridge', () =>
  h.delegate(() => ({ registerIpc: h.current.registerIpc })),
);
vi.mock('../../../main/shell/consent-window', () =>
  h.delegate(() => ({ createConsentWindowPort: h.current.createConsentWindowPort })),
);
vi.mock('../../../main/core/consent/loopback-consent', () =>
  h.delegate(() => ({ createLoopbackConsent: h.current.createLoopbackConsent })),
);
vi.mock('../../../main/shell/electron-store-kv', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  createElectronStore: vi.fn(),
}));
vi.mock('../../../main/core/api/command-server', () =>
  h.delegate(() => ({ startCommandServer: h.current.startCommandServer })),
);
vi.mock('../../../main/shell/tray-icon', () => ({ trayIcon: () => ({ kind: 'tray icon' }) }));

let electron: ElectronMock;

/** Imports main/index.ts afresh (its top level runs again) and lets start() finish. */
const startMain = async (): Promise<void> => {
  vi.resetModules();
  await import('../../../main/index');
  if (electron.state.lock) await vi.waitFor(() => expect(h.current.registerIpc).toHaveBeenCalled());
  // Let the tray's first menu build settle.
  await new Promise((resolve) => setTimeout(resolve, 0));
};

const mainWindow = (): FakeBrowserWindow => {
  const window = electron.BrowserWindow.instances[0];
  if (!window) throw new Error('no window was created');
  return window;
};

const consentPort = (): ConsentPort => {
  const options = h.current.createCore.mock.calls[0]?.[0];
  if (!options) throw new Error('createCore was not called');
  return options.consent;
};

const request = (mode: ConsentRequest['mode']): ConsentRequest => ({
  providerId: 'p',
  mode,
  redirectHost: '127.0.0.1',
  callbackPath: '/callback/p',
  signal: new AbortController().signal,
});

const openExternalGuard = (): ((url: string) => Promise<void>) => {
  const guard = h.current.createLoopbackConsent.mock.calls[0]?.[0] as
    ((url: string) => Promise<void>) | undefined;
  if (!guard) throw new Error('createLoopbackConsent was not called');
  return guard;
};

const firstCall = (fn: { mock: { invocationCallOrder: number[] } }): number =>
  fn.mock.invocationCallOrder[0] ?? Infinity;

beforeEach(() => {
  h.current = h.fresh();
  electron = h.current.electron;
  h.current.createConsentWindowPort.mockReturnValue(h.current.embedded);
  h.current.createLoopbackConsent.mockReturnValue(h.current.loopback);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('single instance', () => {
  it('without the lock, quits and starts nothing: no store, no core, no window', async () => {
    electron.state.lock = false;

    await startMain();

    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(h.current.openStore).not.toHaveBeenCalled();
    expect(h.current.createCore).not.toHaveBeenCalled();
    expect(h.current.registerIpc).not.toHaveBeenCalled();
    expect(electron.BrowserWindow.instances).toEqual([]);
    expect(electron.Tray.instances).toEqual([]);
    expect(electron.app.on).not.toHaveBeenCalled();
  });

  it('asks for the lock before anything else', async () => {
    await startMain();

    const lock = firstCall(electron.app.requestSingleInstanceLock);
    for (const later of [
      electron.app.on,
      electron.app.whenReady,
      electron.Menu.setApplicationMenu,
      h.current.openStore,
      h.current.createCore,
      h.current.registerIpc,
    ]) {
      expect(firstCall(later)).toBeGreaterThan(lock);
    }
  });

  it('opens the store in userData, telling it the app version (named if a newer one wrote it)', async () => {
    await startMain();

    expect(h.current.openStore).toHaveBeenCalledWith(
      expect.objectContaining({
        filePath: join(electron.app.getPath('userData'), 'tokendesk.json'),
        appVersion: electron.app.getVersion(),
      }),
    );
  });

  it('a second instance brings the existing window to the front', async () => {
    await startMain();
    const window = mainWindow();
    window.visible = true;
    window.minimized = true;

    electron.app.emit('second-instance', {}, [], '/', {});

    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
    expect(electron.BrowserWindow.instances).toHaveLength(1);
  });

  it('comes to the front when a sign-in ends, not while it is under way', async () => {
    await startMain();
    const window = mainWindow();
    window.visible = true;
    window.minimized = true;

    h.current.core.events.emit('connectProgress', {
      providerId: 'p',
      stage: 'waiting-for-consent',
    });
    h.current.core.events.emit('connectProgress', { providerId: 'p', stage: 'exchanging' });
    expect(window.focus).not.toHaveBeenCalled();

    h.current.core.events.emit('connectProgress', { providerId: 'p', stage: 'done' });
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
    h.current.core.events.emit('connectProgress', { providerId: 'p', stage: 'failed' });
    expect(window.focus).toHaveBeenCalledTimes(2);
  });

  it('does not bring back a window the user closed when a sign-in ends', async () => {
    await startMain();
    // Closing the app window closes its consent window too, which ends the sign-in as cancelled.
    mainWindow().destroyed = true;
    electron.app.emit('window-all-closed');

    h.current.core.events.emit('connectProgress', { providerId: 'p', stage: 'failed' });
    h.current.core.events.emit('connectProgress', { providerId: 'p', stage: 'done' });

    expect(electron.BrowserWindow.instances).toHaveLength(1);
  });

  it('opens no window once quitting has begun, not even for a second instance', async () => {
    await startMain();
    electron.app.emit('before-quit', { preventDefault: vi.fn() });
    mainWindow().destroyed = true;

    h.current.core.events.emit('connectProgress', { providerId: 'p', stage: 'failed' });
    electron.app.emit('second-instance', {}, [], '/', {});

    expect(electron.BrowserWindow.instances).toHaveLength(1);
  });

  it('a second start with --hidden (the command line starting the app) leaves the window as it is', async () => {
    await startMain();
    const window = mainWindow();
    window.visible = false;

    electron.app.emit('second-instance', {}, ['tokendesk', '--hidden'], '/', {});

    expect(window.show).not.toHaveBeenCalled();
    expect(window.focus).not.toHaveBeenCalled();
  });

  it('a second instance after the window was closed (macOS) opens a new one', async () => {
    await startMain();
    mainWindow().destroyed = true;

    electron.app.emit('second-instance', {}, [], '/', {});

    expect(electron.BrowserWindow.instances).toHaveLength(2);
  });
});

describe('wiring', () => {
  it('registers IPC with the API object, the core’s events and the app window', async () => {
    await startMain();

    expect(h.current.createApi).toHaveBeenCalledWith(h.current.core);
    const [api, events, getWindow, appUrl] = h.current.registerIpc.mock.calls[0] as unknown[];
    expect(api).toBe(h.current.api);
    expect(events).toBe(h.current.core.events);
    expect((getWindow as () => unknown)()).toBe(mainWindow());
    expect(appUrl).toBe('tokendesk://app/index.html');
    expect(mainWindow().loadURL).toHaveBeenCalledWith(appUrl);
  });

  it('serves the built renderer on the app’s scheme, made privileged before the app is ready', async () => {
    await startMain();

    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledOnce();
    expect(firstCall(electron.protocol.registerSchemesAsPrivileged)).toBeLessThan(
      firstCall(electron.app.whenReady),
    );
    expect(electron.protocol.handle).toHaveBeenCalledOnce();
    expect(firstCall(electron.protocol.handle)).toBeLessThan(firstCall(mainWindow().loadURL));
    // The handler's folder is ../renderer from main's own folder (out/renderer when built; here,
    // run from the sources, the renderer's source folder): its page, and nothing beside it.
    const page = await electron.protocol.request('tokendesk://app/index.html');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const beside = await electron.protocol.request('tokendesk://app/..%2fmain%2findex.ts');
    expect(beside.status).toBe(404);
  });

  it('under the dev server, loads its URL and trusts it for IPC', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173/');
    try {
      await startMain();
    } finally {
      vi.unstubAllEnvs();
    }

    const appUrl: unknown = h.current.registerIpc.mock.calls[0]?.[3];
    expect(appUrl).toBe('http://localhost:5173/');
    expect(mainWindow().loadURL).toHaveBeenCalledWith(appUrl);
  });

  it('opens a hardened, locked-down window', async () => {
    await startMain();
    const window = mainWindow();

    expect(window.options).toMatchObject({
      title: 'Tokendesk',
      show: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    // Every hardened preference (hardened-window.test.ts lists them), and the built preload.
    const { hardenedWebPreferences } = await import('../../../main/shell/hardened-window');
    const prefs = window.options.webPreferences as { preload?: unknown };
    expect(String(prefs.preload)).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(prefs).toEqual(hardenedWebPreferences(String(prefs.preload)));
    expect(window.webContents.setWindowOpenHandler).toHaveBeenCalledOnce();
    expect(window.webContents.listenerCount('will-navigate')).toBe(1);
    expect(window.webContents.session.setPermissionRequestHandler).toHaveBeenCalledOnce();
  });

  it('installs the application menu, and a tray menu', async () => {
    await startMain();

    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(electron.app.setAboutPanelOptions).toHaveBeenCalledWith(
      expect.objectContaining({ applicationVersion: '1.2.3' }),
    );
    expect(electron.Tray.instances).toHaveLength(1);
    expect(electron.Tray.instances[0]?.menu?.template.map((item) => item.label)).toEqual(
      expect.arrayContaining(['Show Tokendesk', 'Quit']),
    );
  });

  it('restores the saved window state, brought onto the current display', async () => {
    electron.state.displays = [{ x: 0, y: 0, width: 1440, height: 875 }];
    h.current.windowStateFile.set('window', {
      bounds: { x: 3000, y: 100, width: 1000, height: 700 },
      maximized: true,
    });

    await startMain();
    const window = mainWindow();
    window.emit('ready-to-show');

    expect(window.options).toMatchObject({ x: 220, y: 88, width: 1000, height: 700 });
    expect(window.maximize).toHaveBeenCalledOnce();
    expect(window.show).toHaveBeenCalled();
  });

  it('saves the window state on close, in its own store', async () => {
    await startMain();
    const window = mainWindow();
    window.normalBounds = { x: 10, y: 20, width: 1000, height: 700 };

    window.emit('close');

    expect(h.current.windowStateFile.get('window')).toEqual({
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      maximized: false,
    });
  });

  describe('closing the last window', () => {
    const realPlatform = process.platform;
    const onPlatform = (platform: NodeJS.Platform) =>
      Object.defineProperty(process, 'platform', { value: platform, configurable: true });
    afterEach(() => onPlatform(realPlatform));

    it.each(['linux', 'win32'] as const)(
      'on %s keeps running in the tray, and says so once',
      async (platform) => {
        onPlatform(platform);
        await startMain();

        electron.app.emit('window-all-closed');
        electron.app.emit('window-all-closed');

        expect(electron.app.quit).not.toHaveBeenCalled();
        const notes = electron.Notification.instances.filter((n) =>
          /still running/.test(n.options.title ?? ''),
        );
        expect(notes).toHaveLength(1);
        expect(notes[0]?.show).toHaveBeenCalledOnce();
        // Also useful where the desktop shows no tray icon: how to get back, how to stop.
        expect(notes[0]?.options.body).toMatch(/start Tokendesk again/);
        expect(notes[0]?.options.body).toMatch(/File → Quit/);
      },
    );

    it('quits where the desktop has no tray', async () => {
      onPlatform('linux');
      electron.state.trayUnavailable = true;
      await startMain();

      electron.app.emit('window-all-closed');

      expect(electron.Tray.instances).toHaveLength(0);
      expect(electron.app.quit).toHaveBeenCalledOnce();
    });

    it('on macOS keeps running without a window, as Mac apps do', async () => {
      onPlatform('darwin');
      electron.state.trayUnavailable = true;
      await startMain();

      electron.app.emit('window-all-closed');

      expect(electron.app.quit).not.toHaveBeenCalled();
    });
  });

  it('disposes the tray and the core before quitting, and closes the command line’s channel', async () => {
    await startMain();
    const channel = (await h.current.startCommandServer.mock.results[0]?.value) as {
      close: ReturnType<typeof vi.fn>;
    };

    electron.app.emit('before-quit', { preventDefault: vi.fn() });

    expect(h.current.core.dispose).toHaveBeenCalledOnce();
    expect(electron.Tray.instances[0]?.destroyed).toBe(true);
    expect(channel.close).toHaveBeenCalledOnce();
  });

  it('opens the command line’s channel under userData, recording how to start this app', async () => {
    await startMain();
    expect(h.current.startCommandServer).toHaveBeenCalledOnce();
    const [options] = h.current.startCommandServer.mock.calls[0] ?? [];
    expect(options?.userData).toBe('/tmp/tokendesk-unit-user-data');
    // Not packaged: Electron and the app's folder.
    expect(options?.appCommand).toEqual([process.execPath, '/tmp/tokendesk-unit-app']);
  });

  it('sends main’s requests on Chromium’s stack, in a session of their own kept in memory', async () => {
    await startMain();
    const options = h.current.createCore.mock.calls[0]![0];
    expect(typeof options.fetch).toBe('function');
    expect(electron.session.fromPartition).toHaveBeenCalledWith('tokendesk-requests', {
      cache: false,
    });
    const requests = electron.session.fromPartition('tokendesk-requests');
    await options.resolveProxy?.('https://idp.example.com/token');
    expect(requests.resolveProxy).toHaveBeenCalledWith('https://idp.example.com/token');
    // The verify step that names a refused certificate keeps Chromium's verdict (-3).
    const verify = requests.setCertificateVerifyProc.mock.calls[0]?.[0] as (
      request: unknown,
      callback: (verdict: number) => void,
    ) => void;
    const verdict = vi.fn();
    verify(
      {
        hostname: 'idp.example.com',
        errorCode: -202,
        certificate: { subjectName: 'idp', issuerName: 'Corp CA' },
      },
      verdict,
    );
    expect(verdict).toHaveBeenCalledWith(-3);
  });

  it('turns off the spell checker of every session, so nothing downloads dictionaries', async () => {
    await startMain();
    const session = {
      setSpellCheckerEnabled: vi.fn(),
      setSpellCheckerLanguages: vi.fn(),
    };
    electron.app.emit('session-created', session);
    expect(session.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
    expect(session.setSpellCheckerLanguages).toHaveBeenCalledWith([]);
  });

  it('brings the window forward when a proxy asks for a password', async () => {
    await startMain();
    const window = mainWindow();
    window.visible = false;
    h.current.core.events.emit('proxySignIn', [
      { id: 'proxy-1', proxy: 'proxy.corp.example:3128', scheme: 'basic', refused: false },
    ]);
    expect(window.show).toHaveBeenCalledOnce();
  });

  it('brings the window forward when a command’s approval prompt opens', async () => {
    await startMain();
    const window = mainWindow();
    window.visible = false;
    const prompt = {
      id: 'p1',
      accountId: 'a',
      accountName: 'local:ada',
      subcommand: 'token',
      commandLine: 'tokendesk token',
      askedAt: 1,
      expiresAt: 2,
    };
    h.current.core.events.emit('commandLineChanged', {
      enabled: true,
      approvals: [],
      pending: [prompt],
      log: [],
    });
    expect(window.show).toHaveBeenCalledOnce();
    // A log line or an answered prompt does not.
    h.current.core.events.emit('commandLineChanged', {
      enabled: true,
      approvals: [],
      pending: [],
      log: [],
    });
    expect(window.show).toHaveBeenCalledOnce();
  });

  it('clears a copied token waiting for its clear before it quits', async () => {
    await startMain();
    const { core } = h.current;
    let pending = true;
    core.hasPendingClipboardClear.mockImplementation(() => pending);
    core.clearClipboardBeforeQuit.mockImplementation(() => {
      pending = false;
      return Promise.resolve();
    });
    const quit = { preventDefault: vi.fn() };

    electron.app.emit('before-quit', quit);

    // The quit waits for the clear, then goes on.
    expect(quit.preventDefault).toHaveBeenCalledOnce();
    expect(core.dispose).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledOnce());
    expect(core.clearClipboardBeforeQuit).toHaveBeenCalledOnce();
    electron.app.emit('before-quit', { preventDefault: vi.fn() });
    expect(core.dispose).toHaveBeenCalledOnce();
  });

  it('catches up on wake: the core re-arms what fell due while the machine slept', async () => {
    await startMain();

    electron.powerMonitor.emit('resume');
    electron.powerMonitor.emit('unlock-screen');

    expect(h.current.core.wake).toHaveBeenCalledTimes(2);
  });
});

describe('consent', () => {
  it('routes each attempt by the provider’s consent mode', async () => {
    await startMain();
    const port = consentPort();

    await port.begin(request('embedded')).catch(() => undefined);
    expect(h.current.embedded.begin).toHaveBeenCalledOnce();
    expect(h.current.loopback.begin).not.toHaveBeenCalled();

    await port.begin(request('system-browser')).catch(() => undefined);
    expect(h.current.loopback.begin).toHaveBeenCalledOnce();
    expect(h.current.embedded.begin).toHaveBeenCalledOnce();
  });

  it('centres the embedded consent window on the app window', async () => {
    await startMain();

    const options = h.current.createConsentWindowPort.mock.calls[0]?.[0] as
      { parent: () => unknown } | undefined;
    expect(options?.parent()).toBe(mainWindow());
  });

  it('opens https: and loopback http: URLs in the browser', async () => {
    await startMain();
    const open = openExternalGuard();

    await open('https://accounts.example.test/authorize?client_id=x&state=y');
    await open('http://127.0.0.1:8080/authorize?x=1');

    expect(electron.shell.openExternal.mock.calls).toEqual([
      ['https://accounts.example.test/authorize?client_id=x&state=y'],
      ['http://127.0.0.1:8080/authorize?x=1'],
    ]);
  });

  it('refuses to open anything else', async () => {
    await startMain();
    const open = openExternalGuard();

    for (const url of [
      'http://accounts.example.test/authorize',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://share/x',
      'https://user:pass@accounts.example.test/',
      'not a url',
    ]) {
      await expect(open(url), url).rejects.toThrow('refusing to open');
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });
});
