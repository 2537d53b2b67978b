/**
 * A stand-in for the `electron` module, for unit tests of main/shell and main/index.ts (the
 * Electron binary cannot run on the project's machines: docs/TESTING.md). It fakes only what the
 * shell calls, keeps what it was given (windows, trays, menus, handlers) for the test to inspect,
 * and every function is a vi.fn. Return `mock.module` from `vi.mock('electron', ...)`.
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

export interface FakeSession {
  readonly webRequest: {
    readonly onHeadersReceived: ReturnType<typeof vi.fn<(l: HeadersListener) => void>>;
  };
  readonly setPermissionRequestHandler: ReturnType<typeof vi.fn>;
  readonly setPermissionCheckHandler: ReturnType<typeof vi.fn>;
}

const createSession = (): FakeSession => ({
  webRequest: { onHeadersReceived: vi.fn<(listener: HeadersListener) => void>() },
  setPermissionRequestHandler: vi.fn(),
  setPermissionCheckHandler: vi.fn(),
});

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
    this.events.removeAllListeners(event);
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
  };
  const defaultSession = createSession();

  class FakeWebContents extends FakeEmitter {
    readonly session = defaultSession;
    readonly mainFrame = {};
    readonly setWindowOpenHandler = vi.fn();
    readonly send = vi.fn();
  }

  class FakeBrowserWindow extends FakeEmitter {
    static readonly instances: FakeBrowserWindow[] = [];
    static readonly getAllWindows = vi.fn(() =>
      FakeBrowserWindow.instances.filter((window) => !window.destroyed),
    );

    readonly webContents = new FakeWebContents();
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
    readonly destroy = vi.fn(() => {
      this.destroyed = true;
    });
    readonly isMaximized = vi.fn(() => this.maximized);
    readonly maximize = vi.fn(() => {
      this.maximized = true;
      this.visible = true;
    });
    readonly getNormalBounds = vi.fn(() => ({ ...this.normalBounds }));
    readonly loadURL = vi.fn((_url: string) => Promise.resolve());

    constructor(readonly options: Record<string, unknown> = {}) {
      super();
      const n = (key: string, fallback: number): number =>
        typeof options[key] === 'number' ? options[key] : fallback;
      this.normalBounds = {
        x: n('x', 0),
        y: n('y', 0),
        width: n('width', 800),
        height: n('height', 600),
      };
      FakeBrowserWindow.instances.push(this);
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
  const ipcMain = { handle: vi.fn(), on: vi.fn() };
  const safeStorage = {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    encryptString: vi.fn((plain: string) => Buffer.from(plain)),
    decryptString: vi.fn((cipher: Buffer) => cipher.toString()),
  };
  const clipboard = {
    writeText: vi.fn(() => Promise.resolve()),
    readText: vi.fn(() => Promise.resolve('')),
  };
  const session = { defaultSession, fromPartition: vi.fn(() => createSession()) };

  const module = {
    app,
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
    session,
  };
  return {
    state,
    module: { ...module, default: module },
    app,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: menu,
    screen,
    image,
    nativeImage,
    shell,
    ipcMain,
    session,
    defaultSession,
  };
};

export type ElectronMock = ReturnType<typeof createElectronMock>;
export type FakeBrowserWindow = InstanceType<ElectronMock['BrowserWindow']>;
export type FakeTray = InstanceType<ElectronMock['Tray']>;
