/**
 * The IPC bridge: one handler per API channel, answering only the app's own window, main frame
 * and page (docs SECURITY.md "Validate the sender of every IPC message"); anything else is
 * dropped unanswered, never reaches the API, and is logged. Core events go to the app window.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  ipcChannel,
  ipcEvent,
  type ChannelName,
  type TokendeskApi,
} from '../../../shared/ipc-contract';
import type { ConnectProgress } from '../../../shared/model';
import { CoreEvents } from '../../../main/core/events';
import { APP_PAGE_URL } from '../../../main/shell/app-url';
import { registerIpc } from '../../../main/shell/ipc-bridge';
import { createCapturingLogger, type CapturingLogger } from '../helpers/capturing-logger';
import type { FakeBrowserWindow, FakeFrame, FakeWebContents } from '../helpers/mock-electron';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

/** The page main/index.ts loads when not under the dev server: tokendesk://app/index.html. */
const PACKAGED_URL = APP_PAGE_URL;
const DEV_SERVER_URL = 'http://localhost:5173/';
const PROGRESS: ConnectProgress = { providerId: 'github', stage: 'waiting-for-consent' };

interface Sender {
  readonly sender: FakeWebContents | object;
  readonly senderFrame: FakeFrame | null;
}

let api: Record<ChannelName, ReturnType<typeof vi.fn<(input?: unknown) => Promise<unknown>>>>;
let events: CoreEvents;
let logger: CapturingLogger;
let appWindow: FakeBrowserWindow | undefined;

const asApi = (): TokendeskApi => api as unknown as TokendeskApi;

/** Registers the bridge for an app window showing `appUrl` (its main frame is there). */
const register = (appUrl = PACKAGED_URL): FakeBrowserWindow => {
  const window = new electron.BrowserWindow();
  window.webContents.mainFrame.url = appUrl;
  appWindow = window;
  registerIpc(
    asApi(),
    events,
    () => appWindow as unknown as BrowserWindow | undefined,
    appUrl,
    logger,
  );
  return window;
};

/** The app window's own page calling. */
const fromAppWindow = (window: FakeBrowserWindow): Sender => ({
  sender: window.webContents,
  senderFrame: window.webContents.mainFrame,
});

const call = (name: ChannelName, from: Sender, input?: unknown): Promise<unknown> =>
  electron.ipcMain.invoke(ipcChannel(name), from, input);

beforeEach(() => {
  api = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [
      name,
      vi.fn((_input?: unknown) => Promise.resolve({ ok: true, value: `${name} answered` })),
    ]),
  ) as typeof api;
  events = new CoreEvents();
  logger = createCapturingLogger();
  appWindow = undefined;
  electron.ipcMain.handle.mockClear();
});

afterEach(() => {
  for (const name of CHANNEL_NAMES) electron.ipcMain.removeHandler(ipcChannel(name));
});

describe('handlers', () => {
  it('registers exactly one handler per API channel, and nothing else', () => {
    register();

    const channels = electron.ipcMain.handle.mock.calls.map(([channel]) => channel);
    expect(channels).toHaveLength(CHANNEL_NAMES.length);
    expect(new Set(channels)).toEqual(new Set(CHANNEL_NAMES.map(ipcChannel)));
    expect(electron.ipcMain.on).not.toHaveBeenCalled();
  });

  it('calls each channel’s API function with the input, and answers what it answered', async () => {
    const window = register();

    for (const name of CHANNEL_NAMES) {
      const input = { probe: name };
      await expect(call(name, fromAppWindow(window), input)).resolves.toEqual({
        ok: true,
        value: `${name} answered`,
      });
      expect(api[name]).toHaveBeenCalledExactlyOnceWith(input);
    }
    expect(logger.entries).toEqual([]);
  });

  it('answers the packaged page whatever its query or hash', async () => {
    const window = register();

    for (const url of [`${PACKAGED_URL}#/settings`, `${PACKAGED_URL}?view=tray`]) {
      window.webContents.mainFrame.url = url;
      await expect(call('listAccounts', fromAppWindow(window)), url).resolves.toBeDefined();
    }
    expect(api.listAccounts).toHaveBeenCalledTimes(2);
  });

  it('answers any page of the dev server', async () => {
    const window = register(DEV_SERVER_URL);
    window.webContents.mainFrame.url = 'http://localhost:5173/index.html#/accounts';

    await expect(call('listProviders', fromAppWindow(window))).resolves.toBeDefined();
    expect(api.listProviders).toHaveBeenCalledOnce();
  });
});

describe('untrusted senders', () => {
  /** Each case: how the call arrives, given the registered app window. */
  const cases: readonly [string, (window: FakeBrowserWindow) => Sender, string?][] = [
    ['another window', () => fromAppWindow(new electron.BrowserWindow())],
    [
      'a subframe of the app window, even at the app’s URL',
      (window) => ({ sender: window.webContents, senderFrame: { url: PACKAGED_URL } }),
    ],
    [
      'a frame that is gone (senderFrame null)',
      (window) => ({ sender: window.webContents, senderFrame: null }),
    ],
    [
      'the main frame of another window, passed off as the app’s',
      (window) => ({
        sender: new electron.BrowserWindow().webContents,
        senderFrame: window.webContents.mainFrame,
      }),
    ],
  ];

  it.each(cases)('drops a call from %s', async (_case, from) => {
    const window = register();

    await expect(call('copyToken', from(window), { accountId: 'a' })).resolves.toBeUndefined();

    expect(api.copyToken).not.toHaveBeenCalled();
    expect(logger.entries).toEqual([
      {
        level: 'warn',
        message: 'IPC call from an untrusted sender dropped',
        fields: { channel: 'copyToken' },
      },
    ]);
  });

  it.each([
    ['another origin', 'https://evil.example/'],
    ['the app’s built page as a file: URL', 'file:///app/out/renderer/index.html'],
    ['another file: page (a download, /tmp)', 'file:///tmp/evil.html'],
    ['another file the app’s scheme serves', 'tokendesk://app/assets/index.js'],
    ['the app’s folder, not its page', 'tokendesk://app/'],
    ['the page’s path under another host of the scheme', 'tokendesk://evil/index.html'],
    ['the page with a port', 'tokendesk://app:8080/index.html'],
    ['the page with user info', 'tokendesk://user@app/index.html'],
    ['the page’s path one folder down', 'tokendesk://app/x/index.html'],
    ['the page’s path over http', 'http://app/index.html'],
    ['another scheme with the same host and path', 'tokendesk-evil://app/index.html'],
    ['about:blank', 'about:blank'],
    ['a data: URL', 'data:text/html,<script>1</script>'],
    ['no URL yet', ''],
  ])('drops a call from the app window’s main frame at %s', async (_case, url) => {
    const window = register();
    window.webContents.mainFrame.url = url;

    await expect(call('copyToken', fromAppWindow(window))).resolves.toBeUndefined();

    expect(api.copyToken).not.toHaveBeenCalled();
    expect(logger.entries.map((entry) => entry.fields)).toEqual([{ channel: 'copyToken' }]);
  });

  it.each([
    ['another port of the dev server host', 'http://localhost:5174/'],
    ['https on the dev server host', 'https://localhost:5173/'],
    ['a file: page', 'file:///app/out/renderer/index.html'],
    ['the app’s scheme', PACKAGED_URL],
  ])('in development, drops a call from %s', async (_case, url) => {
    const window = register(DEV_SERVER_URL);
    window.webContents.mainFrame.url = url;

    await expect(call('getSettings', fromAppWindow(window))).resolves.toBeUndefined();
    expect(api.getSettings).not.toHaveBeenCalled();
  });

  it('answers no file: page, even when told the app is one (the renderer left file: behind)', async () => {
    const window = register('file:///app/out/renderer/index.html');

    await expect(call('getStatus', fromAppWindow(window))).resolves.toBeUndefined();
    expect(api.getStatus).not.toHaveBeenCalled();
  });

  it('drops calls once the app window is destroyed', async () => {
    const window = register();
    window.destroy();

    await expect(call('listAccounts', fromAppWindow(window))).resolves.toBeUndefined();
    expect(api.listAccounts).not.toHaveBeenCalled();
  });

  it('drops calls while there is no app window (macOS, all windows closed)', async () => {
    const window = register();
    appWindow = undefined;

    await expect(call('listAccounts', fromAppWindow(window))).resolves.toBeUndefined();
    expect(api.listAccounts).not.toHaveBeenCalled();
  });

  it('logs the channel only, never the input', async () => {
    register();
    const stranger = fromAppWindow(new electron.BrowserWindow());

    await call('exchange', stranger, { accountId: 'a', subjectToken: 'ghp_secretsecret' });

    expect(logger.dump()).not.toContain('ghp_secretsecret');
    expect(logger.entries.map((entry) => entry.fields)).toEqual([{ channel: 'exchange' }]);
  });
});

describe('events', () => {
  it('forwards every core event to the app window with its payload only', () => {
    const window = register();

    const commandLine = { enabled: true, approvals: [], pending: [], log: [] };
    events.emit('accountsChanged', []);
    events.emit('connectProgress', PROGRESS);
    events.emit('commandLineChanged', commandLine);
    const prompts = [
      { id: 'proxy-1', proxy: 'proxy.corp.example:3128', scheme: 'basic', refused: false },
    ];
    events.emit('proxySignIn', prompts);

    expect(window.webContents.send.mock.calls).toEqual([
      [ipcEvent('accountsChanged'), []],
      [ipcEvent('connectProgress'), PROGRESS],
      [ipcEvent('commandLineChanged'), commandLine],
      [ipcEvent('proxySignIn'), prompts],
    ]);
    expect(EVENT_NAMES.map(ipcEvent)).toEqual(
      window.webContents.send.mock.calls.map(([channel]) => channel),
    );
  });

  it('goes to the window open now, not the one open at registration', () => {
    const first = register();
    const second = new electron.BrowserWindow();
    appWindow = second;

    events.emit('accountsChanged', []);

    expect(first.webContents.send).not.toHaveBeenCalled();
    expect(second.webContents.send).toHaveBeenCalledOnce();
  });

  it('sends nothing to a destroyed window, or when there is none', () => {
    const window = register();
    window.destroy();
    expect(() => events.emit('accountsChanged', [])).not.toThrow();
    appWindow = undefined;
    expect(() => events.emit('accountsChanged', [])).not.toThrow();

    expect(window.webContents.send).not.toHaveBeenCalled();
  });
});
