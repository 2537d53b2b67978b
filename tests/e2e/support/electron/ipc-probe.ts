/**
 * An attacker's foothold for the IPC gate spec: a window the app never made, opened from main
 * with a test-only preload that gives every frame `ipcRenderer.invoke` on the app's real channel
 * names — what a page would have if some preload leaked ipcRenderer — and records which of the
 * app's event channels reach it. Also a test-only channel that answers how main sees a sender, so
 * the spec can show each case is the one it claims to be.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ElectronApplication, JSHandle, Page } from '@playwright/test';
import type { BrowserWindow } from 'electron';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  ipcChannel,
  ipcEvent,
  type ChannelName,
} from '../../../../shared/ipc-channels';

/** Main sends this to a probe window after the app's events: IPC to one frame keeps order. */
export const SENTINEL = 'tokendesk-test:sentinel';
/** The test-only channel that answers how main sees the sender (registered by `watchSenders`). */
const WHOAMI = 'tokendesk-test:whoami';

/** How main saw a call: the fields `isTrustedSender` (main/shell/ipc-bridge.ts) checks. */
export interface SenderView {
  readonly fromAppWindow: boolean;
  readonly mainFrame: boolean;
  readonly frameUrl: string | null;
}

/** What one frame of a probe window got back. */
export interface FrameAnswers {
  readonly url: string;
  /** The frame's document.title: what it really shows. */
  readonly title: string;
  /** Whether the test preload ran in the frame (otherwise it could not call anything). */
  readonly hasProbe: boolean;
  /** Per channel name: 'undefined', 'answered …' or 'rejected …'. */
  readonly answers: Readonly<Record<string, string>>;
  readonly sender?: SenderView;
}

/**
 * A sandboxed preload may `require('electron')` (contextBridge, ipcRenderer), nothing else. It
 * hands the page a generic invoke: the page then calls the app's channels by their real names.
 */
const preloadSource = (): string => `
const { contextBridge, ipcRenderer } = require('electron');
const received = [];
for (const channel of ${JSON.stringify([...EVENT_NAMES.map(ipcEvent), SENTINEL])}) {
  ipcRenderer.on(channel, () => received.push(channel));
}
contextBridge.exposeInMainWorld('probe', {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  received: () => received.slice(),
});
`;

export interface ProbeFiles {
  readonly preload: string;
  /** A page of its own whose subframes are the app's page and another local page. */
  readonly framingPage: string;
  remove(): void;
}

export const writeProbeFiles = (appUrl: string): ProbeFiles => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-ipc-probe-'));
  const preload = join(dir, 'probe-preload.js');
  writeFileSync(preload, preloadSource());
  writeFileSync(join(dir, 'other.html'), '<!doctype html><title>Other</title><p>Other page</p>');
  const framing = join(dir, 'framing.html');
  writeFileSync(
    framing,
    `<!doctype html><title>Framing</title>` +
      `<iframe src="${appUrl}"></iframe><iframe src="other.html"></iframe>`,
  );
  return {
    preload,
    framingPage: pathToFileURL(framing).href,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};

/** Playwright's handle on the BrowserWindow of `window`, in main (typed: Playwright says any). */
export const browserWindowOf = async (
  app: ElectronApplication,
  window: Page,
): Promise<JSHandle<BrowserWindow>> => (await app.browserWindow(window)) as JSHandle<BrowserWindow>;

/** The app window's webContents ID. */
export const appContentsId = async (app: ElectronApplication, window: Page): Promise<number> =>
  (await browserWindowOf(app, window)).evaluate((browserWindow) => browserWindow.webContents.id);

/**
 * Opens a hidden window with the probe preload in every frame (`nodeIntegrationInSubFrames`; Node
 * itself stays off) on `url`, in the app's session or in `partition`; answers its webContents ID.
 */
export const openProbeWindow = (
  app: ElectronApplication,
  options: { readonly preload: string; readonly url: string; readonly partition?: string },
): Promise<number> =>
  app.evaluate(async ({ BrowserWindow }, { preload, url, partition }) => {
    const window = new BrowserWindow({
      show: false,
      webPreferences: {
        preload,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: true,
        ...(partition === undefined ? {} : { partition }),
      },
    });
    // Resolves after the load event, which waits for the subframes.
    await window.loadURL(url);
    return window.webContents.id;
  }, options);

/**
 * Lets a partition of the test's own show the app's page in a frame: the app's scheme is handled
 * in the app's session only (main/shell/app-protocol.ts), so the partition gets a handler that
 * passes each request on to the app's, minus the CSP header, whose frame-ancestors 'none' would
 * refuse the page in any frame (what window-hardening.spec.ts shows).
 */
export const serveAppPageInPartition = (
  app: ElectronApplication,
  appUrl: string,
  partition: string,
): Promise<void> =>
  app.evaluate(
    ({ session }, { scheme, partition }) => {
      const own = session.fromPartition(partition);
      if (own.protocol.isProtocolHandled(scheme)) return;
      own.protocol.handle(scheme, async (request) => {
        const answer = await session.defaultSession.fetch(request.url);
        const headers = new Headers(answer.headers);
        headers.delete('content-security-policy');
        return new Response(await answer.arrayBuffer(), { status: answer.status, headers });
      });
    },
    { scheme: new URL(appUrl).protocol.slice(0, -1), partition },
  );

/** Registers the test-only channel; the returned function removes it. */
export const watchSenders = async (
  app: ElectronApplication,
  appContents: number,
): Promise<() => Promise<void>> => {
  await app.evaluate(
    ({ ipcMain }, { channel, appContents }) => {
      ipcMain.handle(channel, (event) => ({
        fromAppWindow: event.sender.id === appContents,
        mainFrame: event.senderFrame === event.sender.mainFrame,
        frameUrl: event.senderFrame?.url ?? null,
      }));
    },
    { channel: WHOAMI, appContents },
  );
  return () => app.evaluate(({ ipcMain }, channel) => ipcMain.removeHandler(channel), WHOAMI);
};

/** Calls every channel in `names` once, with no input, from every frame of a probe window. */
export const callFromEveryFrame = (
  app: ElectronApplication,
  contentsId: number,
  names: readonly ChannelName[] = CHANNEL_NAMES,
): Promise<FrameAnswers[]> => {
  const calls = names.map((name) => [name, ipcChannel(name)]);
  const script = `(async () => {
    const title = document.title;
    if (typeof probe !== 'object') return { title, hasProbe: false, answers: {} };
    const answers = {};
    for (const [name, channel] of ${JSON.stringify(calls)}) {
      try {
        const answer = await probe.invoke(channel);
        answers[name] =
          answer === undefined ? 'undefined' : 'answered ' + JSON.stringify(answer).slice(0, 100);
      } catch (error) {
        answers[name] = 'rejected ' + error.message;
      }
    }
    const sender = await probe.invoke(${JSON.stringify(WHOAMI)});
    return { title, hasProbe: true, answers, sender };
  })()`;
  return app.evaluate(
    async ({ webContents }, { contentsId, script }) => {
      const contents = webContents.fromId(contentsId);
      if (!contents) throw new Error(`no webContents ${contentsId}`);
      return Promise.all(
        contents.mainFrame.framesInSubtree.map(async (frame) => ({
          url: frame.url,
          ...((await frame.executeJavaScript(script)) as Omit<FrameAnswers, 'url'>),
        })),
      );
    },
    { contentsId, script },
  );
};

/** The app's event channels (and the sentinel) a probe window's main frame received. */
export const receivedByProbe = (app: ElectronApplication, contentsId: number): Promise<string[]> =>
  app.evaluate(async ({ webContents }, contentsId) => {
    const contents = webContents.fromId(contentsId);
    if (!contents) throw new Error(`no webContents ${contentsId}`);
    return (await contents.executeJavaScript('probe.received()')) as string[];
  }, contentsId);

export const sendSentinel = (app: ElectronApplication, contentsId: number): Promise<void> =>
  app.evaluate(
    ({ webContents }, { contentsId, channel }) => webContents.fromId(contentsId)?.send(channel),
    { contentsId, channel: SENTINEL },
  );

export const closeProbeWindow = (app: ElectronApplication, contentsId: number): Promise<void> =>
  app.evaluate(({ BrowserWindow, webContents }, contentsId) => {
    const contents = webContents.fromId(contentsId);
    const window = contents && BrowserWindow.fromWebContents(contents);
    if (window && !window.isDestroyed()) window.destroy();
  }, contentsId);

/** How many calls main logged as dropped, per channel name, in the app's output so far. */
export const droppedCalls = (output: string): ReadonlyMap<string, number> => {
  const counts = new Map<string, number>();
  // The logger's fields go through console.warn, which colours them when told to.
  const plain = output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  const line = /IPC call from an untrusted sender dropped \{ channel: '([A-Za-z]+)' \}/g;
  for (const [, name] of plain.matchAll(line)) {
    if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
};
