/**
 * Real Electron, the app window's hardening (main/shell/hardened-window.ts,
 * main/shell/content-security.ts, main/shell/app-protocol.ts, docs/SECURITY.md "Electron
 * hardening"), seen from the app's own
 * page as injected script would try it: it cannot take the window elsewhere, open a window, get a
 * permission, or run inline script or eval — and the policy header, not only the meta tag, is
 * what stops the script.
 *
 * Page-side code is passed as strings: the tests' tsconfig has no DOM types.
 */
import { expect, test } from '@playwright/test';
import { APP_PAGE_URL } from '../../../main/shell/app-url';
import { APP_CONTENT_SECURITY_POLICY } from '../../../main/shell/content-security';
import { type RunningApp, withTokendesk } from '../support/electron/electron-harness';
import { browserWindowOf } from '../support/electron/ipc-probe';

const spec = 'window-hardening.spec';

/** The app on a new profile, without a keyring (no secrets are involved). */
const withApp = (work: (running: RunningApp) => Promise<void>): Promise<void> =>
  withTokendesk({ spec }, work);

/** Main-process state the tests keep on globalThis (app.evaluate code cannot close over ours). */
type Recorder = typeof globalThis & { tokendeskTestLog: string[] };

/**
 * Each target, and how its refusal ends. The web and another page of the app's own scheme reach
 * main, whose will-navigate handler prevents them; loading then stops. A local file never gets
 * that far: Chromium itself refuses a file: URL to a page of another scheme and says so in the
 * page's console (a file: page, as the app was before, could go there: only main stopped it).
 */
const targets: readonly (readonly [string, (target: string) => string[]])[] = [
  ['https://example.com/', (target) => [`will-navigate ${target}`, 'did-stop-loading']],
  [
    'tokendesk://app/index.html?elsewhere',
    (target) => [`will-navigate ${target}`, 'did-stop-loading'],
  ],
  ['file:///etc/hostname', (target) => [`console Not allowed to load local resource: ${target}`]],
];

for (const [target, refusal] of targets) {
  test(`location.href = '${target}' leaves the window on the app page`, async () => {
    await withApp(async ({ app, window }) => {
      const appUrl = window.url();
      const appWindow = await browserWindowOf(app, window);
      await appWindow.evaluate(({ webContents: contents }) => {
        const log: string[] = ((globalThis as Recorder).tokendeskTestLog = []);
        contents.on('will-navigate', (event) => log.push(`will-navigate ${event.url}`));
        contents.on('did-navigate', (_event, url) => log.push(`did-navigate ${url}`));
        contents.on('did-fail-load', (_event, code) => log.push(`did-fail-load ${code}`));
        contents.on('did-stop-loading', () => log.push('did-stop-loading'));
        // Electron 33 passes the message as an argument; later Electron on the event.
        contents.on('console-message', (event, _level, message) =>
          log.push(`console ${(event as { message?: string }).message ?? message}`),
        );
      });
      // Marks this document: a navigation, even to an error page, would replace it.
      await window.evaluate(`window.sameDocument = true`);

      await window.evaluate(`location.href = ${JSON.stringify(target)}`);
      // Wait for the refusal's last event, not for a fixed time: loading stops once a refused
      // navigation is over (after did-navigate or did-fail-load, had it gone on); the console
      // line comes as Chromium refuses.
      const expected = refusal(target);
      const log = () => app.evaluate(() => (globalThis as Recorder).tokendeskTestLog);
      await expect
        .poll(async () => (await log()).includes(expected.at(-1)!), { timeout: 15_000 })
        .toBe(true);
      expect(await log()).toEqual(expected);

      expect(await window.evaluate('[location.href, window.sameDocument]')).toEqual([appUrl, true]);
      expect(await appWindow.evaluate((browserWindow) => browserWindow.webContents.getURL())).toBe(
        appUrl,
      );
      // The user still sees the app (read from the page: Playwright's own actions would wait for
      // the navigation they saw start, which never ends).
      expect(await window.evaluate(`document.querySelector('h1')?.textContent`)).toMatch(
        /Tokendesk/,
      );
    });
  });
}

test('window.open answers null and a target=_blank link opens nothing', async () => {
  await withApp(async ({ app, window }) => {
    await app.evaluate(({ app: electronApp }) => {
      const log: string[] = ((globalThis as Recorder).tokendeskTestLog = []);
      electronApp.on('web-contents-created', (_event, contents) =>
        log.push(`web-contents-created ${contents.getType()}`),
      );
      electronApp.on('browser-window-created', () => log.push('browser-window-created'));
    });

    // The window open handler is asked before window.open returns: null means refused.
    const opened = await window.evaluate(`['https://example.com/', 'about:blank', location.href]
      .map((url) => window.open(url) === null)`);
    expect(opened).toEqual([true, true, true]);

    // A real click (a user gesture, as popups need) on a link injected into the page.
    await window.evaluate(`(() => {
      const link = document.createElement('a');
      link.href = 'https://example.com/';
      link.target = '_blank';
      link.textContent = 'Injected popup link';
      Object.assign(link.style, { position: 'fixed', top: '0', left: '0', zIndex: '2147483647' });
      document.body.append(link);
    })()`);
    await window.getByRole('link', { name: 'Injected popup link' }).click();
    // The click's new-window request is decided while the click is handled (Chromium asks the
    // browser synchronously, and an allowed window's contents are created then): one more round
    // trip to the page, and main would already have seen it.
    await window.evaluate('document.readyState');

    expect(await app.evaluate(() => (globalThis as Recorder).tokendeskTestLog)).toEqual([]);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});

test('permission requests and checks are refused', async () => {
  await withApp(async ({ window }) => {
    // Electron grants every request when the session has no handler: these would say granted.
    const answers = await window.evaluate(`(async () => ({
      notificationRequest: await Notification.requestPermission(),
      notificationState: (await navigator.permissions.query({ name: 'notifications' })).state,
      geolocationState: (await navigator.permissions.query({ name: 'geolocation' })).state,
      geolocation: await new Promise((resolve) =>
        navigator.geolocation.getCurrentPosition(
          () => resolve('position'),
          (error) => resolve(error.code === error.PERMISSION_DENIED ? 'denied' : error.message),
          { timeout: 20000 },
        )),
    }))()`);
    expect(answers).toEqual({
      notificationRequest: 'denied',
      notificationState: 'denied',
      geolocationState: 'denied',
      geolocation: 'denied',
    });
  });
});

test.describe('Content-Security-Policy', () => {
  interface Violation {
    readonly directive: string;
    readonly blocked: string;
    readonly disposition: string;
    readonly policy: string;
  }

  const violations = (running: RunningApp): Promise<Violation[]> =>
    running.window.evaluate('window.violations');

  test('injected inline script, eval and inline handlers do not run; the header blocks them too', async () => {
    await withApp(async (running) => {
      const { window } = running;
      await window.evaluate(`(() => {
        window.violations = [];
        document.addEventListener('securitypolicyviolation', (event) =>
          window.violations.push({
            directive: event.effectiveDirective,
            blocked: event.blockedURI,
            disposition: event.disposition,
            policy: event.originalPolicy,
          }));
      })()`);

      // An inline script runs as it is inserted, if it runs at all.
      const inlineRan = await window.evaluate(`(() => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.body.append(script);
        return window.inlineRan === true;
      })()`);
      expect(inlineRan).toBe(false);

      // A handler attribute runs on the event it handles, during click().
      const handlerRan = await window.evaluate(`(() => {
        const button = document.createElement('button');
        button.setAttribute('onclick', 'window.handlerRan = true');
        document.body.append(button);
        button.click();
        button.remove();
        return window.handlerRan === true;
      })()`);
      expect(handlerRan).toBe(false);

      // eval from a timer, a later task of the page's own: inside Playwright's evaluation (run by
      // DevTools, which lifts the policy for its own code) eval works even here.
      await window.evaluate(`setTimeout(() => {
        const attempt = (code) => { try { return String(code()); } catch (error) { return error.name; } };
        window.evalResults = [attempt(() => eval('6 * 7')), attempt(() => new Function('return 6 * 7')())];
      })`);
      await expect
        .poll(() => window.evaluate('window.evalResults'), { timeout: 15_000 })
        .toEqual(['EvalError', 'EvalError']);

      // Every policy in force reports each block: the header's (main/shell/content-security.ts,
      // sent by main/shell/app-protocol.ts)
      // and the meta tag's, told apart by frame-ancestors, which only a header can carry. The
      // header's report shows it enforces on its own, as it must were the meta tag lost.
      const expected = (directive: string, blocked: string) =>
        [
          APP_CONTENT_SECURITY_POLICY,
          expect.not.stringContaining('frame-ancestors') as unknown as string,
        ].map((policy) => ({ directive, blocked, disposition: 'enforce', policy }));
      await expect
        .poll(() => violations(running), { timeout: 15_000 })
        .toEqual(
          expect.arrayContaining([
            ...expected('script-src-elem', 'inline'),
            ...expected('script-src-attr', 'inline'),
            ...expected('script-src', 'eval'),
          ]),
        );
    });
  });

  test("the app's page cannot be framed, not even in its own window (frame-ancestors)", async () => {
    await withApp(async ({ app, window }) => {
      // frame-src ('self') lets the page frame its own page; the header's frame-ancestors 'none'
      // (sent with every file of the app's scheme) then refuses to show it there (a meta tag
      // cannot say this), so the frame holds an empty error document, not a second Tokendesk.
      // Read from main: the page cannot look into an error document of another origin.
      await window.evaluate(`new Promise((resolve) => {
        const frame = document.createElement('iframe');
        frame.addEventListener('load', resolve, { once: true });
        frame.src = location.href;
        document.body.append(frame);
      })`);
      const framed = await (
        await browserWindowOf(app, window)
      ).evaluate((browserWindow) => {
        const frame = browserWindow.webContents.mainFrame.frames[0];
        return frame?.executeJavaScript(
          `[document.title, document.getElementById('root') !== null]`,
        );
      });
      expect(framed).toEqual(['', false]);
    });
  });
});

test.describe("the app's scheme", () => {
  test('serves the built renderer, with the CSP header, and no file beside it', async () => {
    await withApp(async ({ app, window }) => {
      expect(window.url()).toBe(APP_PAGE_URL);
      // Asked as the window's session asks, through Chromium's URL handling: out/main/index.js
      // lies beside out/renderer, one folder up, and must not be reachable in any spelling.
      const answers = await app.evaluate(
        async ({ session }, urls) => {
          const results: [string, number, string | null][] = [];
          for (const url of urls) {
            const response = await session.defaultSession.fetch(url);
            results.push([url, response.status, response.headers.get('content-security-policy')]);
          }
          return results;
        },
        [
          APP_PAGE_URL,
          'tokendesk://app/../main/index.js',
          'tokendesk://app/%2e%2e/main/index.js',
          'tokendesk://app/..%2fmain%2findex.js',
          'tokendesk://app/%2e%2e%2fmain%2findex.js',
          'tokendesk://app/..%5cmain%5cindex.js',
          'tokendesk://app//etc/hostname',
          'tokendesk://app/%2fetc%2fhostname',
          'tokendesk://other/index.html',
        ],
      );
      expect(answers).toEqual([
        [APP_PAGE_URL, 200, APP_CONTENT_SECURITY_POLICY],
        ...answers.slice(1).map(([url]) => [url, 404, APP_CONTENT_SECURITY_POLICY]),
      ]);
    });
  });
});
