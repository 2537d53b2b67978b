/**
 * A stand-in for the `electron` module, for unit tests of main/shell and main/index.ts (the
 * Electron binary cannot run on the project's machines: docs/TESTING.md). It fakes only what the
 * shell calls, keeps what it was given (windows, trays, menus, handlers) for the test to inspect,
 * and every Electron function is a vi.fn; functions marked "test side" play Electron's part
 * (a navigation, a request, an IPC call). Return `mock.module` from `vi.mock('electron', ...)`.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MenuItemTemplate {
  readonly id?: string;
  readonly label?: string;
  readonly role?: string;
  readonly type?: string;
  readonly enabled?: boolean;
  readonly submenu?: readonly MenuItemTemplate[];
  readonly click?: () => void;
}

export interface FakeMenu {
  readonly template: readonly MenuItemTemplate[];
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
) => void;

export interface BeforeRequestDetails {
  readonly url: string;
  readonly resourceType?: string;
}
export interface BeforeRequestResponse {
  readonly cancel?: boolean;
  readonly redirectURL?: string;
}
type BeforeRequestListener = (
  details: BeforeRequestDetails,
  callback: (response: BeforeRequestResponse) => void,
) => void;
type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details?: unknown,
) => void;
type PermissionCheckHandler = (
  contents: unknown,
  permission: string,
  requestingOrigin: string,
  details?: unknown,
) => boolean;

export interface FakeSession {
  /** The partition it was made for (`session.fromPartition`); undefined for the default session. */
  readonly partition: string | undefined;
  readonly webRequest: {
    readonly onHeadersReceived: ReturnType<typeof vi.fn<(l: HeadersListener) => void>>;
    /** Electron's two forms, `(listener)` and `(filter, listener)`; `null` removes the listener. */
    readonly onBeforeRequest: ReturnType<typeof vi.fn<(...args: unknown[]) => void>>;
  };
  readonly setPermissionRequestHandler: ReturnType<
    typeof vi.fn<(handler: PermissionRequestHandler | null) => void>
  >;
  readonly setPermissionCheckHandler: ReturnType<
    typeof vi.fn<(handler: PermissionCheckHandler | null) => void>
  >;
  readonly clearStorageData: ReturnType<typeof vi.fn<() => Promise<void>>>;
  /** main's requests: the verify step that names refused certificates (certificate-failures). */
  readonly setCertificateVerifyProc: ReturnType<typeof vi.fn<(proc: unknown) => void>>;
  /** The system's proxy for a URL, as a PAC answer: always DIRECT here. */
  readonly resolveProxy: ReturnType<typeof vi.fn<(url: string) => Promise<string>>>;
  /** Test side: the onBeforeRequest listener now installed, if any. */
  beforeRequestListener(): BeforeRequestListener | null;
  /**
   * Test side: a request as Chromium would make it. Answers what the listener called back with,
   * or undefined when no listener is installed (the request goes ahead).
   */
  request(url: string, resourceType?: string): BeforeRequestResponse | undefined;
  /** Test side: what the permission request handler answers (undefined: no handler, or no answer). */
  requestPermission(permission: string): boolean | undefined;
  /** Test side: what the permission check handler answers (undefined: no handler). */
  checkPermission(permission: string, origin?: string): boolean | undefined;
  /** Session events (`will-download`), as on Electron's Session. */
  readonly on: ReturnType<typeof vi.fn<(event: string, listener: Listener) => void>>;
  /**
   * Test side: a page starts a download (`will-download`). Answers whether a listener prevented
   * it, which cancels it in Electron; without one, Electron asks where to save it.
   */
  download(url: string): boolean;
}

const createSession = (partition?: string): FakeSession => {
  let beforeRequest: BeforeRequestListener | null = null;
  const sessionEvents = new EventEmitter();
  const setPermissionRequestHandler = vi.fn<(handler: PermissionRequestHandler | null) => void>();
  const setPermissionCheckHandler = vi.fn<(handler: PermissionCheckHandler | null) => void>();
  const fake: FakeSession = {
    partition,
    webRequest: {
      onHeadersReceived: vi.fn<(listener: HeadersListener) => void>(),
      onBeforeRequest: vi.fn((...args: unknown[]) => {
        beforeRequest = (args.at(-1) as BeforeRequestListener | null | undefined) ?? null;
      }),
    },
    setPermissionRequestHandler,
    setPermissionCheckHandler,
    clearStorageData: vi.fn(() => Promise.resolve()),
    setCertificateVerifyProc: vi.fn<(proc: unknown) => void>(),
    resolveProxy: vi.fn((_url: string) => Promise.resolve('DIRECT')),
    beforeRequestListener: () => beforeRequest,
    request: (url, resourceType = 'mainFrame') => {
      if (!beforeRequest) return undefined;
      let answer: BeforeRequestResponse | undefined;
      beforeRequest({ url, resourceType }, (response) => {
        answer = response;
      });
      if (!answer) throw new Error(`the onBeforeRequest listener did not call back for ${url}`);
      return answer;
    },
    requestPermission: (permission) => {
      const handler = setPermissionRequestHandler.mock.calls.at(-1)?.[0];
      if (!handler) return undefined;
      let granted: boolean | undefined;
      handler({}, permission, (answer) => {
        granted = answer;
      });
      return granted;
    },
    checkPermission: (permission, origin = 'https://example.test') => {
      const handler = setPermissionCheckHandler.mock.calls.at(-1)?.[0];
      return handler ? handler({}, permission, origin) : undefined;
    },
    on: vi.fn((event: string, listener: Listener) => {
      sessionEvents.on(event, listener as (...args: unknown[]) => void);
    }),
    download: (url) => {
      const event = preventableEvent({});
      const item = { getURL: () => url, cancel: vi.fn() };
      sessionEvents.emit('will-download', event, item, undefined);
      return event.defaultPrevented;
    },
  };
  return fake;
};

/** What a navigation listener receives: Electron's Event with the URL on it. */
export interface FakeNavigationEvent {
  readonly url: string;
  /** will-redirect fires for frames too; will-navigate only for the main frame. */
  readonly isMainFrame: boolean;
  readonly preventDefault: () => void;
  readonly defaultPrevented: boolean;
}

/** An Electron Event carrying `fields`, whose preventDefault() is recorded. */
const preventableEvent = <T extends object>(
  fields: T,
): T & { preventDefault: () => void; defaultPrevented: boolean } => {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault: () => {
      event.defaultPrevented = true;
    },
  };
  return event;
};

/** A frame of a webContents (WebFrameMain): its URL is what the trusted-sender gate checks. */
export interface FakeFrame {
  url: string;
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

type Listener = (...args: never[]) => unknown;

/**
 * The event side of the fake Electron objects. It wraps an EventEmitter instead of extending it:
 * EventEmitter's static members name types @types/node does not export, which the project's
 * declaration emit (composite tsconfig) cannot write out.
 */
export class FakeEmitter {
  readonly events = new EventEmitter();

  on(event: string, listener: Listener): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once(event: string, listener: Listener): this {
    this.events.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.events.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  removeListener(event: string, listener: Listener): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: string): this {
    // EventEmitter counts arguments: an explicit `undefined` would clear only an event of that name.
    if (event === undefined) this.events.removeAllListeners();
    else this.events.removeAllListeners(event);
    return this;
  }

  emit(event: string, ...args: unknown[]): boolean {
    return this.events.emit(event, ...args);
  }

  listenerCount(event: string): number {
    return this.events.listenerCount(event);
  }
}

export const createElectronMock = (options: { userData?: string } = {}) => {
  const state = {
    lock: true,
    packaged: false,
    /** Work areas of the attached displays, the primary display's first. */
    displays: [{ x: 0, y: 0, width: 1920, height: 1040 }] as Rect[],
    notificationsSupported: true,
    /** A desktop without a tray: `new Tray()` throws, as on some Linux desktops. */
    trayUnavailable: false,
    /** Electron 44 and later have ClipboardItem and clipboard.write(items); 33 has neither. */
    clipboardItems: true,
  };
  const defaultSession = createSession();

  // Electron returns the same session for the same partition string.
  const partitions = new Map<string, FakeSession>();
  const fromPartition = vi.fn((partition: string, _options?: { cache?: boolean }): FakeSession => {
    const existing = partitions.get(partition);
    if (existing) return existing;
    const created = createSession(partition);
    partitions.set(partition, created);
    return created;
  });

  class FakeWebContents extends FakeEmitter {
    readonly mainFrame: FakeFrame = { url: '' };
    destroyed = false;
    readonly setWindowOpenHandler = vi.fn<(handler: WindowOpenHandler) => void>();
    readonly send = vi.fn<(channel: string, ...args: unknown[]) => void>();
    readonly isDestroyed = vi.fn(() => this.destroyed);
    readonly getURL = vi.fn(() => this.mainFrame.url);

    constructor(readonly session: FakeSession = defaultSession) {
      super();
    }

    /**
     * Test side: fires `will-navigate` or `will-redirect` as Electron does (an Event carrying the
     * URL, then the deprecated positional URL) and answers whether a listener prevented it.
     */
    navigate(
      kind: 'will-navigate' | 'will-redirect',
      url: string,
      frame: 'main' | 'sub' = 'main',
    ): boolean {
      const isMainFrame = frame === 'main';
      const event: FakeNavigationEvent = preventableEvent({ url, isMainFrame });
      this.emit(kind, event, url, false, isMainFrame);
      return event.defaultPrevented;
    }

    /** Test side: what the window open handler answers for a `window.open` or target=_blank. */
    openWindow(url: string): { action: 'allow' | 'deny' } | undefined {
      return this.setWindowOpenHandler.mock.calls.at(-1)?.[0]({ url });
    }
  }

  class FakeBrowserWindow extends FakeEmitter {
    static readonly instances: FakeBrowserWindow[] = [];
    static readonly getAllWindows = vi.fn(() =>
      FakeBrowserWindow.instances.filter((window) => !window.destroyed),
    );

    readonly webContents: FakeWebContents;
    minimized = false;
    visible = false;
    destroyed = false;
    maximized = false;
    normalBounds: Rect;

    readonly isMinimized = vi.fn(() => this.minimized);
    readonly restore = vi.fn(() => {
      this.minimized = false;
    });
    readonly isVisible = vi.fn(() => this.visible);
    readonly show = vi.fn(() => {
      this.visible = true;
    });
    readonly focus = vi.fn();
    readonly isDestroyed = vi.fn(() => this.destroyed);
    /** Like Electron: no `close` event, but `closed` is guaranteed (once). */
    readonly destroy = vi.fn(() => {
      if (this.destroyed) return;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    });
    /** The user closing the window: `close` (preventable), then `closed`. */
    readonly close = vi.fn(() => {
      if (this.destroyed) return;
      const event = preventableEvent({});
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    });
    readonly isMaximized = vi.fn(() => this.maximized);
    readonly maximize = vi.fn(() => {
      this.maximized = true;
      this.visible = true;
    });
    readonly getNormalBounds = vi.fn(() => ({ ...this.normalBounds }));
    /** The native window's title: `options.title`, then whatever setTitle or the page set. */
    title: string;
    readonly setTitle = vi.fn((title: string) => {
      this.title = title;
    });
    readonly getTitle = vi.fn(() => this.title);
    /** Loads at once: the main frame is then at the URL. */
    readonly loadURL = vi.fn((url: string): Promise<void> => {
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    });

    constructor(readonly options: Record<string, unknown> = {}) {
      super();
      const preferences = (options.webPreferences ?? {}) as {
        session?: FakeSession;
        partition?: string;
      };
      this.webContents = new FakeWebContents(
        preferences.session ??
          (preferences.partition !== undefined
            ? fromPartition(preferences.partition)
            : defaultSession),
      );
      const n = (key: string, fallback: number): number =>
        typeof options[key] === 'number' ? options[key] : fallback;
      this.normalBounds = {
        x: n('x', 0),
        y: n('y', 0),
        width: n('width', 800),
        height: n('height', 600),
      };
      this.title = typeof options.title === 'string' ? options.title : 'Electron';
      FakeBrowserWindow.instances.push(this);
    }

    /**
     * Test side: the page sets `document.title` (or loads with a `<title>`). Like Electron, the
     * window takes the page's title unless a `page-title-updated` listener prevents it.
     */
    pageTitle(title: string): void {
      const event = preventableEvent({});
      this.emit('page-title-updated', event, title, true);
      if (!event.defaultPrevented) this.title = title;
    }
  }

  class FakeTray extends FakeEmitter {
    static readonly instances: FakeTray[] = [];
    menu: FakeMenu | undefined;
    destroyed = false;
    readonly setContextMenu = vi.fn((menu: FakeMenu) => {
      this.menu = menu;
    });
    readonly setToolTip = vi.fn();
    readonly isDestroyed = vi.fn(() => this.destroyed);
    readonly destroy = vi.fn(() => {
      this.destroyed = true;
    });

    constructor(readonly image: unknown) {
      super();
      if (state.trayUnavailable) throw new Error('no system tray on this desktop');
      FakeTray.instances.push(this);
    }
  }

  class FakeNotification {
    static readonly instances: FakeNotification[] = [];
    static readonly isSupported = vi.fn(() => state.notificationsSupported);
    readonly show = vi.fn();
    constructor(readonly options: { title?: string; body?: string }) {
      FakeNotification.instances.push(this);
    }
  }

  const appEvents = new EventEmitter();
  const app = {
    name: 'Tokendesk',
    get isPackaged() {
      return state.packaged;
    },
    requestSingleInstanceLock: vi.fn(() => state.lock),
    quit: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
    getVersion: vi.fn(() => '1.2.3'),
    getAppPath: vi.fn(() => '/tmp/tokendesk-unit-app'),
    getPath: vi.fn((_name: string) => options.userData ?? '/tmp/tokendesk-unit-user-data'),
    setAboutPanelOptions: vi.fn(),
    showAboutPanel: vi.fn(),
    on: vi.fn((event: string, listener: (...args: unknown[]) => void) => {
      appEvents.on(event, listener);
      return app;
    }),
    /** Test side: fires an app event as Electron would. */
    emit: (event: string, ...args: unknown[]) => appEvents.emit(event, ...args),
  };

  const menu = {
    buildFromTemplate: vi.fn((template: readonly MenuItemTemplate[]): FakeMenu => ({ template })),
    setApplicationMenu: vi.fn((_menu: FakeMenu | null) => undefined),
  };

  const screen = {
    getAllDisplays: vi.fn(() => state.displays.map((workArea) => ({ workArea: { ...workArea } }))),
    getPrimaryDisplay: vi.fn(() => ({ workArea: { ...state.displays[0]! } })),
  };

  const image = {
    addRepresentation: vi.fn(),
    setTemplateImage: vi.fn(),
  };
  const nativeImage = { createEmpty: vi.fn(() => image) };

  const shell = { openExternal: vi.fn((_url: string) => Promise.resolve()) };
  type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
  const ipcHandlers = new Map<string, InvokeHandler>();
  const ipcListeners = new Map<string, InvokeHandler[]>();
  const ipcMain = {
    // Like Electron, a second handler for one channel is an error.
    handle: vi.fn((channel: string, handler: InvokeHandler) => {
      if (ipcHandlers.has(channel))
        throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcHandlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => {
      ipcHandlers.delete(channel);
    }),
    // `on` listeners (the synchronous, ungated kind): recorded so tests can see which remain.
    on: vi.fn((channel: string, listener: InvokeHandler) => {
      ipcListeners.set(channel, [...(ipcListeners.get(channel) ?? []), listener]);
    }),
    removeAllListeners: vi.fn((channel?: string) => {
      if (channel === undefined) ipcListeners.clear();
      else ipcListeners.delete(channel);
    }),
    listenerCount: (channel: string): number => ipcListeners.get(channel)?.length ?? 0,
    eventNames: (): string[] => [...ipcListeners.keys()],
    /** Test side: calls the channel's handler as a renderer's ipcRenderer.invoke would. */
    invoke: (channel: string, event: unknown, ...args: unknown[]): Promise<unknown> => {
      const handler = ipcHandlers.get(channel);
      if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
      // A handler that throws rejects the renderer's invoke, as in Electron.
      return new Promise((resolve) => resolve(handler(event, ...args)));
    },
  };

  /** The renderer side of IPC: an emitter for `on`, and functions the preload must not expose. */
  class FakeIpcRenderer extends FakeEmitter {
    readonly invoke = vi.fn((_channel: string, ..._args: unknown[]): Promise<unknown> =>
      Promise.resolve(undefined),
    );
    readonly send = vi.fn();
    readonly sendSync = vi.fn();
    readonly postMessage = vi.fn();
  }
  const ipcRenderer = new FakeIpcRenderer();

  const exposed = new Map<string, unknown>();
  const contextBridge = {
    // Like Electron, a key can be bound only once.
    exposeInMainWorld: vi.fn((key: string, api: unknown) => {
      if (exposed.has(key))
        throw new Error('Cannot bind an API on top of an existing property on the window object');
      exposed.set(key, api);
    }),
    /** Test side: what the page's main world sees. */
    exposed,
  };

  // A reversible stand-in for the OS keyring: the ciphertext is not the plaintext, and anything
  // it did not encrypt fails to decrypt, as safeStorage does.
  const KEYRING_HEADER = Buffer.from('v10');
  const xor = (bytes: Buffer): Buffer => Buffer.from(bytes.map((byte) => byte ^ 0x5a));
  const safeStorage = {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn((): string => 'gnome_libsecret'),
    encryptString: vi.fn((plain: string) =>
      Buffer.concat([KEYRING_HEADER, xor(Buffer.from(plain, 'utf8'))]),
    ),
    decryptString: vi.fn((cipher: Buffer) => {
      if (!cipher.subarray(0, KEYRING_HEADER.length).equals(KEYRING_HEADER))
        throw new Error(
          'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
        );
      return xor(cipher.subarray(KEYRING_HEADER.length)).toString('utf8');
    }),
  };

  /**
   * One system clipboard, holding formats: a MIME type (or Electron's `electron application/
   * osclipboard;format="<name>"` for a raw platform format) to its bytes. What was written is
   * what is read; each write replaces every format, as on a real clipboard.
   */
  let clipboardFormats = new Map<string, Buffer>();
  const bytesOf = async (payload: string | Blob): Promise<Buffer> =>
    typeof payload === 'string'
      ? Buffer.from(payload, 'utf8')
      : Buffer.from(await payload.arrayBuffer());
  /** Electron 44 and later: `new ClipboardItem({ [mime]: payload })`. */
  class FakeClipboardItem {
    constructor(readonly items: Readonly<Record<string, string | Blob>>) {}
    get types(): string[] {
      return Object.keys(this.items);
    }
  }
  const clipboard = {
    writeText: vi.fn((text: string): Promise<void> => {
      clipboardFormats = new Map([['text/plain', Buffer.from(text, 'utf8')]]);
      return Promise.resolve();
    }),
    readText: vi.fn((): Promise<string> =>
      Promise.resolve(clipboardFormats.get('text/plain')?.toString('utf8') ?? ''),
    ),
    /**
     * With `state.clipboardItems` (Electron 44 and later): every format of the items, committed
     * at once. Without (Electron 33): the old `write({ text, html, … })`, which takes no items:
     * given an array it finds no `text` and writes nothing at all.
     */
    write: vi.fn(async (data: unknown): Promise<void> => {
      if (!state.clipboardItems) {
        const { text } = data as { text?: unknown };
        if (typeof text === 'string')
          clipboardFormats = new Map([['text/plain', Buffer.from(text)]]);
        return;
      }
      const next = new Map<string, Buffer>();
      for (const item of data as FakeClipboardItem[]) {
        for (const [type, payload] of Object.entries(item.items)) {
          next.set(type, await bytesOf(payload));
        }
      }
      clipboardFormats = next;
    }),
    /** Test side: every format on the clipboard now, with its bytes. */
    formats: (): ReadonlyMap<string, Buffer> => new Map(clipboardFormats),
  };
  /**
   * protocol: schemes registered as privileged, and one handler per scheme (a second is an error,
   * as in Electron). `request` plays the window asking for a URL of a handled scheme.
   */
  type ProtocolHandler = (request: Request) => Response | Promise<Response>;
  const protocolHandlers = new Map<string, ProtocolHandler>();
  const protocol = {
    registerSchemesAsPrivileged: vi.fn(
      (_schemes: readonly { scheme: string; privileges?: Record<string, boolean> }[]) => undefined,
    ),
    handle: vi.fn((scheme: string, handler: ProtocolHandler) => {
      if (protocolHandlers.has(scheme))
        throw new Error(`The scheme "${scheme}" is already handled`);
      protocolHandlers.set(scheme, handler);
    }),
    /** Test side: what the handler of the URL's scheme answers (rejects when there is none). */
    request: async (url: string, init?: RequestInit): Promise<Response> => {
      const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
      if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME ${url}`);
      return handler(new Request(url, init));
    },
  };
  const session = { defaultSession, fromPartition };
  /** Test side: `powerMonitor.emit('resume')` as the system does after sleep. */
  const powerMonitor = new FakeEmitter();

  const module = {
    app,
    powerMonitor,
    BrowserWindow: FakeBrowserWindow,
    Menu: menu,
    Tray: FakeTray,
    Notification: FakeNotification,
    screen,
    nativeImage,
    shell,
    ipcMain,
    safeStorage,
    clipboard,
    /** Read when used, so a test can take it away (Electron 33) after the mock is made. */
    get ClipboardItem() {
      return state.clipboardItems ? FakeClipboardItem : undefined;
    },
    protocol,
    session,
    contextBridge,
    ipcRenderer,
  };
  return {
    state,
    module: { ...module, default: module },
    app,
    powerMonitor,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: menu,
    screen,
    image,
    nativeImage,
    shell,
    ipcMain,
    ipcRenderer,
    contextBridge,
    safeStorage,
    clipboard,
    ClipboardItem: FakeClipboardItem,
    protocol,
    session,
    defaultSession,
  };
};

export type ElectronMock = ReturnType<typeof createElectronMock>;
export type FakeBrowserWindow = InstanceType<ElectronMock['BrowserWindow']>;
export type FakeTray = InstanceType<ElectronMock['Tray']>;
export type FakeWebContents = FakeBrowserWindow['webContents'];
