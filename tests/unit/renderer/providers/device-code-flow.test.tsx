// @vitest-environment happy-dom
/**
 * A sign-in with a code on the provider card: the code and page appear with the stage that
 * brings them and go with the next, Copy code and Open page ask main by provider ID (never with
 * the code or a URL), and a code that could not be handed over says so.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf, type Result } from '../../../../shared/errors';
import type { ConnectResult } from '../../../../shared/ipc-contract';
import type { DeviceSignIn } from '../../../../shared/model';
import { deviceCountdownText } from '../../../../renderer/src/providers/device-code-panel';
import {
  actAndSettle,
  fakeBridge,
  makeProvider,
  NOW,
  ok,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const DEVICE: DeviceSignIn = {
  userCode: 'BDWP-HQPK',
  verificationUri: 'https://id.example.test/activate',
  verificationUriComplete: 'https://id.example.test/activate?user_code=BDWP-HQPK',
  expiresAt: NOW + 10 * 60_000,
};

const startDeviceConnect = async (overrides = {}) => {
  let answer!: (result: Result<ConnectResult>) => void;
  const bridge = fakeBridge(
    { providers: [makeProvider({ consentMode: 'device-code' })] },
    { connect: () => new Promise((resolve) => (answer = resolve)), ...overrides },
  );
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Connect Local IdP' }));
  const card = screen.getByRole('region', { name: 'Local IdP' });
  await bridge.emit('connectProgress', {
    providerId: 'oidc',
    stage: 'waiting-for-device',
    device: DEVICE,
  });
  return {
    bridge,
    user,
    card,
    answer: (r: Result<ConnectResult>) => actAndSettle(() => answer(r)),
  };
};

describe('signing in with a code', () => {
  it('shows the code, the page and the countdown while main waits for the user', async () => {
    const { card } = await startDeviceConnect();
    expect(within(card).getByText('Device code')).toBeTruthy();
    const panel = within(card).getByRole('group', { name: 'Enter this code at Local IdP:' });
    expect(within(panel).getByTestId('device-code').textContent).toBe('BDWP-HQPK');
    expect(within(panel).getByText('https://id.example.test/activate')).toBeTruthy();
    expect(within(panel).getByTestId('device-code-countdown').textContent).toBe(
      'The code expires in 10:00.',
    );
    expect(within(card).getByRole('status').textContent).toContain(
      'Waiting for you to enter the code at Local IdP…',
    );
  });

  it('Copy code and Open page ask main by provider, and say what happened', async () => {
    const { bridge, user, card } = await startDeviceConnect();
    await user.click(within(card).getByRole('button', { name: 'Copy code for Local IdP' }));
    expect(bridge.api.copyDeviceCode).toHaveBeenCalledWith({ providerId: 'oidc' });
    expect(screen.getByTestId('toast').textContent).toBe('Copied the code for Local IdP.');
    await user.click(within(card).getByRole('button', { name: 'Open page for Local IdP' }));
    expect(bridge.api.openDevicePage).toHaveBeenCalledWith({ providerId: 'oidc' });
  });

  it('a page main could not open: the user is told to type the address', async () => {
    const { user, card } = await startDeviceConnect({
      openDevicePage: () => ok({ opened: false }),
    });
    await user.click(within(card).getByRole('button', { name: 'Open page for Local IdP' }));
    expect(screen.getByTestId('toast').textContent).toContain('type its address instead');
  });

  it('the panel goes with the next stage', async () => {
    const { bridge, card } = await startDeviceConnect();
    await bridge.emit('connectProgress', { providerId: 'oidc', stage: 'identifying' });
    expect(within(card).queryByTestId('device-code')).toBeNull();
  });

  it('an expired code: the panel goes and the error says to connect again', async () => {
    const { answer, card } = await startDeviceConnect();
    await answer({ ok: false, error: errorOf('deviceCodeExpired') });
    expect(within(card).queryByTestId('device-code')).toBeNull();
    expect(within(card).getByRole('alert').textContent).toContain('connect again for a new code');
  });

  it('counts down to "expired", never below zero', () => {
    expect(deviceCountdownText(NOW + 61_500, NOW)).toBe('The code expires in 1:02.');
    expect(deviceCountdownText(NOW, NOW)).toBe('The code has expired.');
    expect(deviceCountdownText(NOW - 5_000, NOW)).toBe('The code has expired.');
  });
});
