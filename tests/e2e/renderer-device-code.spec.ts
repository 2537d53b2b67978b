/**
 * Signing in with a code, the page's side in real Chromium: while main waits for the user, the
 * provider card shows the code large, the page to type it on and a countdown; Copy code and Open
 * page ask main (which holds both) and Cancel cancels, all from the keyboard too. The built
 * renderer talks through the test host to a small in-memory stand-in for main that pushes the
 * connect-progress events as the core does (the core's side has tests of its own).
 */
import { expect, test } from '@playwright/test';
import { errorOf } from '../../shared/errors';
import type { ChannelName, ConnectResult } from '../../shared/ipc-contract';
import type { DeviceSignIn } from '../../shared/model';
import type { Result } from '../../shared/errors';
import { PRESETS } from '../../shared/providers';
import { answer, fakeMain, githubProvider } from './support/fake-main';
import { hostRenderer } from './support/renderer-host';
import { checkAccessibility } from './support/screens';
import { serveRenderer, type StaticServer } from './support/static-server';

let site: StaticServer;
test.beforeAll(async () => {
  site = await serveRenderer();
});
test.afterAll(async () => {
  await site.close();
});

test.use({ viewport: { width: 1100, height: 760 } });

const DEVICE: DeviceSignIn = {
  userCode: 'WDJB-MJHT',
  verificationUri: 'https://github.com/login/device',
  expiresAt: Date.now() + 14 * 60_000 + 30_000,
};

/** Main as far as this page needs it: one GitHub provider that signs in with a code. */
const startFakeMain = () => {
  const calls: ChannelName[] = [];
  let endConnect: ((result: Result<ConnectResult>) => void) | undefined;
  const main = fakeMain((emit) => ({
    listProviders: () =>
      answer({
        presets: PRESETS,
        configured: [githubProvider({ consentMode: 'device-code' })],
      }),
    connect: () => {
      calls.push('connect');
      // As the core does: the stage, then the code once the provider has given one.
      setTimeout(() => emit('connectProgress', { providerId: 'github', stage: 'starting' }), 10);
      setTimeout(
        () =>
          emit('connectProgress', {
            providerId: 'github',
            stage: 'waiting-for-device',
            device: DEVICE,
          }),
        50,
      );
      return new Promise((resolve) => {
        endConnect = resolve;
      });
    },
    cancelConnect: () => {
      calls.push('cancelConnect');
      emit('connectProgress', { providerId: 'github', stage: 'failed' });
      endConnect?.({ ok: false, error: errorOf('consentCancelled') });
      return answer({ cancelled: true });
    },
    copyDeviceCode: (input) => {
      calls.push('copyDeviceCode');
      return answer({ copied: input?.providerId === 'github' });
    },
    openDevicePage: (input) => {
      calls.push('openDevicePage');
      return answer({ opened: input?.providerId === 'github' });
    },
  }));
  return { api: main.api, events: main.events, calls };
};

test('the code panel shows the code, copies it, opens the page, and Cancel cancels', async ({
  page,
}) => {
  const main = startFakeMain();
  const host = await hostRenderer(page, main.api, main.events);
  try {
    await page.goto(site.url);
    const card = page.getByRole('region', { name: 'GitHub' });
    await expect(card.getByText('Device code')).toBeVisible();
    await card.getByRole('button', { name: 'Connect GitHub' }).click();

    const panel = card.getByRole('group', { name: 'Enter this code at GitHub:' });
    await expect(panel.getByTestId('device-code')).toHaveText('WDJB-MJHT');
    await expect(panel.getByText('https://github.com/login/device')).toBeVisible();
    await expect(panel.getByTestId('device-code-countdown')).toHaveText(
      /The code expires in 1[34]:\d\d\./,
    );
    await expect(card.getByText('Waiting for you to enter the code at GitHub…')).toBeVisible();
    await checkAccessibility(page, 'device-code-panel');

    await panel.getByRole('button', { name: 'Copy code for GitHub' }).click();
    await expect(page.getByTestId('toast')).toContainText('Copied the code for GitHub.');
    await panel.getByRole('button', { name: 'Open page for GitHub' }).click();
    await expect.poll(() => main.calls).toContain('openDevicePage');

    // From the keyboard: Tab from Open page reaches Cancel sign-in; Enter cancels.
    await panel.getByRole('button', { name: 'Open page for GitHub' }).focus();
    await page.keyboard.press('Tab');
    await expect(card.getByRole('button', { name: 'Cancel sign-in' })).toBeFocused();
    await page.keyboard.press('Enter');

    await expect(panel).toBeHidden();
    await expect(page.getByTestId('toast')).toContainText('Sign-in with GitHub cancelled.');
    expect(main.calls).toEqual(['connect', 'copyDeviceCode', 'openDevicePage', 'cancelConnect']);
    // The page never saw a device code: only what main chose to send.
    expect(host.traffic.map((t) => t.json).join('\n')).not.toMatch(/device_code|deviceCode/);
  } finally {
    host.dispose();
  }
});
