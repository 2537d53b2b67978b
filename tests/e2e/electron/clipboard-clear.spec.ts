/**
 * Real Electron, the clipboard clear a user turns on in Settings: a copied token is on the
 * system clipboard (read by another X client, not by Tokendesk itself) and is gone after the
 * shortest delay the dialog allows; what the user copied in another app since is left alone; and
 * a quit before the delay clears it first.
 *
 * What cannot be shown here: that the token is gone from the clipboard *after* the app exited.
 * Under X the clipboard's content lives in its owner, so once Tokendesk's process is gone the
 * clipboard reads empty whether or not it was cleared. It survives only where a clipboard manager
 * owns CLIPBOARD_MANAGER (Chromium hands it the content at shutdown), and this display has none.
 * The quit test therefore reads the clipboard at will-quit, the last moment the app still owns
 * (and serves) it, after its before-quit work is done.
 */
import { expect, test, type Locator } from '@playwright/test';
import { LIMITS } from '../../../shared/ipc-contract';
import type { OidcServer } from '../../support/oidc-server';
import { startLocalIdp, userinfoStatus } from '../support/local-idp';
import { addLocalProvider, connectEmbedded } from '../support/electron/app-actions';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
  type Profile,
  type RunningApp,
} from '../support/electron/electron-harness';
import { startOtherApp, type OtherApp } from '../support/electron/other-app';
import { turnOnClipboardClear } from '../support/electron/settings-actions';

const spec = 'clipboard-clear.spec';
/** The smallest delay Settings accepts: the shortest wait these tests can have. */
const CLEAR_SECONDS = LIMITS.clipboardClearSeconds.min;
const BEFORE_THE_COPY = 'text on the clipboard before the copy';
const PROBE = 'E2E-PROBE clipboard at will-quit:';

// One app, one account: the tests copy in turn, and the last one quits the app.
test.describe.configure({ mode: 'serial' });

let oidc: OidcServer | undefined;
let profile: Profile | undefined;
let running: RunningApp | undefined;
let other: OtherApp | undefined;
let row: Locator;

test.beforeAll(async () => {
  const runtime = requireElectron({ spec, keyring: true });
  test.setTimeout(120_000);
  oidc = await startLocalIdp(300);
  profile = createProfile();
  other = await startOtherApp(runtime);
  running = await launchTokendesk({ runtime, profile });
  // The user's way in: the Settings dialog, with the smallest delay it allows.
  await turnOnClipboardClear(running.window, CLEAR_SECONDS);
  await addLocalProvider(running.window, oidc.issuer);
  row = await connectEmbedded(running.app, running.window, 'alice');
});

test.afterAll(async () => {
  await running?.close().catch(() => undefined);
  await other?.stop();
  profile?.remove();
  await oidc?.stop();
});

/**
 * Clicks Copy and answers the token once the system clipboard holds it. The other app puts text
 * there first, so a copy that never reached the clipboard cannot pass for one.
 */
const copyToken = async (): Promise<string> => {
  const { window } = running!;
  await other!.writeClipboard(BEFORE_THE_COPY);
  await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
  await expect(window.getByTestId('toast')).toContainText(/the clipboard clears in \d+ s/);
  let copied = '';
  await expect
    .poll(async () => {
      copied = await other!.readClipboard();
      return copied !== BEFORE_THE_COPY && copied !== '';
    })
    .toBe(true);
  return copied;
};

/** The clipboard as another app reads it (through X) and as Tokendesk itself does. */
const bothViews = async (): Promise<[string, string]> => [
  await other!.readClipboard(),
  await running!.app.evaluate(({ clipboard }) => clipboard.readText()),
];

test('the copied token is on the system clipboard, then cleared after the delay', async () => {
  const token = await copyToken();
  expect(await userinfoStatus(oidc!.issuer, token)).toBe(200);
  // Bounded well beyond the delay: the machine is shared and may be slow. Both views must be
  // empty: a read through X that timed out would also answer '' on its own.
  await expect.poll(bothViews, { timeout: CLEAR_SECONDS * 1000 + 25_000 }).toEqual(['', '']);
});

test('what the user copied in another app before the delay ended is not cleared', async () => {
  const token = await copyToken();
  expect(token.length).toBeGreaterThan(20);
  const copiedElsewhere = 'the user copied this in another app';
  await other!.writeClipboard(copiedElsewhere);
  // Nothing happening can only be shown after the clear's time: wait on the app's own event loop.
  // Its clear timer was armed before this one (the copy had answered) for the same delay; the
  // extra seconds cover its read and write of the clipboard (asynchronous on newer Electron).
  await running!.app.evaluate(
    (_electron, ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    CLEAR_SECONDS * 1000 + 2_000,
  );
  expect(await other!.readClipboard()).toBe(copiedElsewhere);
});

test('quitting before the delay clears the token first', async () => {
  const token = await copyToken();
  // will-quit comes after before-quit's work, when the app still owns the clipboard: the last
  // moment its content can be read (see the top of this file).
  await running!.app.evaluate(
    ({ app, clipboard }, { token, probe }) => {
      app.once('will-quit', () => {
        // Electron 33 reads at once; newer Electron's clipboard answers with a promise.
        void Promise.resolve(clipboard.readText()).then((text) => {
          const what = text === token ? 'the token' : text === '' ? 'empty' : 'other text';
          console.log(`${probe} ${what}`);
        });
      });
    },
    { token, probe: PROBE },
  );
  await running!.close();
  await expect.poll(() => running!.output().match(new RegExp(`${PROBE} (.+)`))?.[1]).toBe('empty');
});
