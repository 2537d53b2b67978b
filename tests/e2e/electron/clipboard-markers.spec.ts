/**
 * Real Electron, the real X clipboard, read by another app: a copied token is offered with KDE's
 * password-manager hint (the `x-kde-passwordManagerHint` target, value `secret`, which Klipper
 * and the clipboard managers that follow it leave out of their history), and the token itself
 * still pastes (main/shell/electron-clipboard.ts; macOS and Windows formats: the unit tests).
 *
 * The hint and the text must go in one write, which Electron has only from 44 on (ClipboardItem).
 * On the test runtime (Electron 33) the app copies the bare text and says so in its log: this
 * spec checks both, then says why it stops there. A control first shows that the other app does
 * see a hint when one is offered, so its "no hint" means something.
 */
import { expect, test } from '@playwright/test';
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

const spec = 'clipboard-markers.spec';
const HINT = 'x-kde-passwordManagerHint';
const BEFORE_THE_COPY = 'text on the clipboard before the copy';

let oidc: OidcServer | undefined;
let profile: Profile | undefined;
let running: RunningApp | undefined;
let reader: OtherApp | undefined;
let writer: OtherApp | undefined;

test.afterEach(async () => {
  await running?.close().catch(() => undefined);
  await reader?.stop();
  await writer?.stop();
  profile?.remove();
  await oidc?.stop();
});

test('a copied token pastes, and is offered with KDE’s hint "secret" beside it', async () => {
  const runtime = requireElectron({ spec });
  test.setTimeout(120_000);
  oidc = await startLocalIdp(300);
  profile = createProfile();
  reader = await startOtherApp(runtime);
  writer = await startOtherApp(runtime);

  // Control: what a password manager offers, the reader sees; plain text carries no hint.
  await writer.writeFormat(HINT);
  await expect.poll(() => reader!.readFormat(HINT)).toEqual({ offered: true, text: 'secret' });
  await writer.writeClipboard(BEFORE_THE_COPY);
  await expect.poll(() => reader!.readClipboard()).toBe(BEFORE_THE_COPY);
  expect(await reader.readFormat(HINT)).toEqual({ offered: false, text: '' });

  running = await launchTokendesk({ runtime, profile, keyring: false });
  await addLocalProvider(running.window, oidc.issuer);
  const row = await connectEmbedded(running.app, running.window, 'alice');
  await row.getByRole('button', { name: 'Copy token for alice@example.test' }).click();
  await expect(running.window.getByTestId('toast')).toBeVisible();

  // The token pastes in another app, and the provider takes it.
  let token = '';
  await expect
    .poll(async () => {
      token = await reader!.readClipboard();
      return token !== BEFORE_THE_COPY && token !== '';
    })
    .toBe(true);
  expect(await userinfoStatus(oidc.issuer, token)).toBe(200);

  const hint = await reader.readFormat(HINT);
  const canMark = await running.app.evaluate((electron) => 'ClipboardItem' in electron);
  if (!canMark) {
    // The app says why the token went unmarked, and nothing half-marked reached the clipboard.
    await expect.poll(running.output).toContain('copied tokens are not marked as secret');
    expect(hint).toEqual({ offered: false, text: '' });
    const reason = `Electron ${runtime.version} has no ClipboardItem: its clipboard cannot offer the token and the hint in one write (Electron 44 and later can)`;
    console.log(`[${spec}] skipped: ${reason}`);
    test.skip(true, reason);
    return;
  }
  expect(hint).toEqual({ offered: true, text: 'secret' });
  // Offering the hint did not take the text away.
  expect(await reader.readClipboard()).toBe(token);
});
