/**
 * Real Electron, the IPC gate (main/shell/ipc-bridge.ts, docs/SECURITY.md "IPC"): only the app
 * window's main frame showing the app's own page is answered. Everything else — the embedded
 * consent window, another window on the very same page, frames — gets nothing, and main says so
 * in its log; the events main pushes reach the app window alone.
 *
 * Electron facts the cases rest on (checked here where it matters, through `watchSenders`):
 * - A window's preloads (the session's first, then its own) run in its main frame only, unless
 *   `nodeIntegrationInSubFrames` is on: then they run in every subframe too (electron#16425).
 *   The app window has it off; the probe windows turn it on so that frames can call.
 * - `event.senderFrame` is the frame that called: for a subframe, that subframe, not
 *   `sender.mainFrame`, and its `url` is the subframe's own. A frame that a response header
 *   refused to show still reports the URL it was refused on.
 */
import { expect, test, type Page } from '@playwright/test';
import { APP_PAGE_URL } from '../../../main/shell/app-url';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../../shared/ipc-channels';
import type { OidcServer } from '../../support/oidc-server';
import { startLocalIdp } from '../support/local-idp';
import { accountRow, addLocalProvider, signInAndApprove } from '../support/electron/app-actions';
import {
  requireElectron,
  type RunningApp,
  withTokendesk,
} from '../support/electron/electron-harness';
import {
  appContentsId,
  callFromEveryFrame,
  closeProbeWindow,
  droppedCalls,
  openProbeWindow,
  receivedByProbe,
  sendSentinel,
  SENTINEL,
  serveAppPageInPartition,
  watchSenders,
  writeProbeFiles,
} from '../support/electron/ipc-probe';

const spec = 'ipc-gate.spec';

/** Calls every channel with no input through the app window's own bridge. */
const callThroughBridge = (window: Page): Promise<Record<string, string>> =>
  window.evaluate(`(async () => {
    const answers = {};
    for (const name of ${JSON.stringify(CHANNEL_NAMES)}) {
      const answer = await window.tokendesk.api[name]();
      answers[name] = answer === undefined ? 'undefined' : answer.ok ? 'ok' : 'error ' + answer.error.code;
    }
    return answers;
  })()`);

const everyChannel = (answer: string): Record<string, string> =>
  Object.fromEntries(CHANNEL_NAMES.map((name) => [name, answer]));

/** Waits until main has logged `calls` more dropped calls on every channel than `before`. */
const expectDropped = async (running: RunningApp, before: string, calls: number) => {
  const earlier = droppedCalls(before);
  const expected = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, (earlier.get(name) ?? 0) + calls]),
  );
  // stderr arrives on its own schedule: poll it, with a generous bound.
  await expect
    .poll(() => Object.fromEntries(droppedCalls(running.output())), { timeout: 15_000 })
    .toEqual(expected);
};

/** The app on a new profile, without a keyring (no secrets are involved). */
const withApp = (work: (running: RunningApp) => Promise<void>): Promise<void> =>
  withTokendesk({ spec }, work);

test('the app window is answered; the same page in another window, and frames, get nothing', async () => {
  await withApp(async (running) => {
    const { app, window } = running;
    const appUrl = window.url();
    // The window shows the app's page on its own scheme (main/shell/app-protocol.ts), not file:.
    expect(appUrl).toBe(APP_PAGE_URL);
    const appContents = await appContentsId(app, window);
    const files = writeProbeFiles(appUrl);
    const unwatch = await watchSenders(app, appContents);
    try {
      // Positive control: the bridge answers every channel (no input: reads answer ok, the rest
      // a validation error — an answer either way), and nothing is dropped.
      const answers = await callThroughBridge(window);
      expect(Object.values(answers)).not.toContain('undefined');
      expect(answers.listProviders).toBe('ok');
      expect(droppedCalls(running.output()).size).toBe(0);

      // (i) The app's exact URL, in the app's own session, with ipcRenderer on every
      // channel: a gate that trusted the page's URL would answer it. Main sees a main frame on
      // the app's page — only "is this the app window?" refuses it.
      const before = running.output();
      const samePage = await openProbeWindow(app, { preload: files.preload, url: appUrl });
      const samePageFrames = await callFromEveryFrame(app, samePage);
      expect(samePageFrames).toEqual([
        {
          url: appUrl,
          title: 'Tokendesk',
          hasProbe: true,
          answers: everyChannel('undefined'),
          sender: { fromAppWindow: false, mainFrame: true, frameUrl: appUrl },
        },
      ]);

      // (ii) A page of its own whose subframes are the app's page and another local page. It
      // runs in a partition of its own that serves the app's page without the CSP header: in
      // the app's session the header's frame-ancestors 'none' refuses the app's page in a frame
      // (window-hardening.spec.ts), and here the frame must really show it. Main sees a subframe
      // on the app's page: a gate checking the URL alone would answer it, and it fails both the
      // window and the main-frame check. (The main-frame check alone — a subframe of the app
      // window itself — cannot be reached while the app window keeps its preload out of
      // subframes; the next test holds that.)
      await serveAppPageInPartition(app, appUrl, 'tokendesk-test-framing');
      const framing = await openProbeWindow(app, {
        preload: files.preload,
        url: files.framingPage,
        partition: 'tokendesk-test-framing',
      });
      const framingFrames = await callFromEveryFrame(app, framing);
      expect(framingFrames.map(({ url, title }) => [url, title])).toEqual([
        [files.framingPage, 'Framing'],
        [appUrl, 'Tokendesk'],
        [expect.stringMatching(/\/other\.html$/), 'Other'],
      ]);
      for (const frame of framingFrames) {
        expect(frame.hasProbe, frame.url).toBe(true);
        expect(frame.answers, frame.url).toEqual(everyChannel('undefined'));
        expect(frame.sender?.fromAppWindow, frame.url).toBe(false);
      }
      expect(framingFrames[1]?.sender).toEqual({
        fromAppWindow: false,
        mainFrame: false,
        frameUrl: appUrl,
      });

      // Every one of those calls reached main and was dropped there, by name.
      await expectDropped(running, before, samePageFrames.length + framingFrames.length);
      // The gate refused them, not a broken bridge: the app window is still answered.
      expect((await callThroughBridge(window)).listProviders).toBe('ok');
      await closeProbeWindow(app, samePage);
      await closeProbeWindow(app, framing);
    } finally {
      await unwatch();
      files.remove();
    }
  });
});

test('in the app window, frames injected into the page have no bridge', async () => {
  await withApp(async ({ app, window }) => {
    const appUrl = window.url();
    // From main, as a script injected into the page would: a srcdoc frame and a frame on the
    // app's own page. The preload runs in the main frame only (nodeIntegrationInSubFrames off),
    // so neither frame may see window.tokendesk; with it on, both would. The second is refused
    // by the header's frame-ancestors, yet its preload would still run and main would see a
    // frame of the app window on the app's URL: only the gate's main-frame check would be left.
    const frames = await app.evaluate(
      async ({ webContents }, id) => {
        const contents = webContents.fromId(id);
        if (!contents) throw new Error('no app window');
        await contents.executeJavaScript(`Promise.all(['srcdoc', 'src'].map((attribute) =>
        new Promise((resolve) => {
          const frame = document.createElement('iframe');
          frame.addEventListener('load', resolve, { once: true });
          frame.setAttribute(attribute, attribute === 'src' ? location.href : '<p>Injected</p>');
          document.body.append(frame);
        })))`);
        return Promise.all(
          contents.mainFrame.framesInSubtree.map(async (frame) => ({
            url: frame.url,
            bridge: (await frame.executeJavaScript('typeof window.tokendesk')) as string,
          })),
        );
      },
      await appContentsId(app, window),
    );
    expect(frames).toEqual([
      { url: appUrl, bridge: 'object' },
      { url: 'about:srcdoc', bridge: 'undefined' },
      { url: appUrl, bridge: 'undefined' },
    ]);
  });
});

test.describe('against oidc-provider', () => {
  let oidc: OidcServer | undefined;
  test.afterAll(async () => {
    await oidc?.stop();
  });

  test('the consent window has no bridge, and events reach the app window only', async () => {
    test.setTimeout(120_000);
    requireElectron({ spec });
    oidc = await startLocalIdp(300);
    const issuer = oidc.issuer;
    await withApp(async ({ app, window }) => {
      const files = writeProbeFiles(window.url());
      try {
        await addLocalProvider(window, issuer);
        // A window on the app's own page in the app's session, listening on the event channels:
        // main must not push to it (a broadcast to every window would).
        const probe = await openProbeWindow(app, { preload: files.preload, url: window.url() });
        await window.evaluate(`(() => {
          window.seenEvents = [];
          for (const name of ${JSON.stringify(EVENT_NAMES)})
            window.tokendesk.on(name, () => window.seenEvents.push(name));
        })()`);

        const consentOpened = app.waitForEvent('window');
        await window.getByRole('button', { name: 'Connect Local IdP' }).click();
        const consent = await consentOpened;
        // (a) The provider's pages run without any preload: no bridge, no Node, no ipcRenderer —
        // nothing in the page can send main a message.
        const globals = await consent.evaluate(`(() => ({
          tokendesk: typeof window.tokendesk,
          require: typeof require,
          process: typeof process,
          ipcRenderer: typeof ipcRenderer,
          electronNames: Object.getOwnPropertyNames(window).filter((name) =>
            /^(tokendesk|electron|ipc|require$|process$|module$|buffer$|global$)/i.test(name)),
        }))()`);
        expect(globals).toEqual({
          tokendesk: 'undefined',
          require: 'undefined',
          process: 'undefined',
          ipcRenderer: 'undefined',
          electronNames: [],
        });

        await signInAndApprove(consent, 'alice');
        await expect(accountRow(window, 'alice@example.test')).toBeVisible({ timeout: 30_000 });
        // The command line's event: a change of its access setting.
        await window.evaluate(
          'window.tokendesk.api.saveSettings({ commandLineAccess: true }).then(() => undefined)',
        );
        await expect
          .poll(() => window.evaluate<string[]>('window.seenEvents'), { timeout: 15_000 })
          // proxySignIn needs a proxy that asks for a password: company-network.spec shows its
          // prompt in the app window; here the probe must get none of it either.
          .toEqual(expect.arrayContaining(EVENT_NAMES.filter((name) => name !== 'proxySignIn')));
        // IPC from main to one frame keeps its order: once the probe has the sentinel sent after
        // the app's events, any event sent to it would have arrived.
        await sendSentinel(app, probe);
        await expect
          .poll(() => receivedByProbe(app, probe), { timeout: 15_000 })
          .toContain(SENTINEL);
        expect(await receivedByProbe(app, probe)).toEqual([SENTINEL]);
      } finally {
        files.remove();
      }
    });
  });
});
