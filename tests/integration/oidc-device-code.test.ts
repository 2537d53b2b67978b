/**
 * Signing in with a code (the device authorization grant, RFC 8628) against oidc-provider's
 * deviceFlow: the app asks for a user code, shows it, and polls while the user types it in a
 * browser (real Chromium here) and approves; the account that results is like any other
 * (copied, refreshed, revoked at disconnect). A denial, a code that runs out and a server that
 * asks the app to slow down each end as the user would expect, and nothing is saved on failure.
 */
import { describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import type { ConnectProgress, DeviceSignIn } from '../../shared/model';
import { actAsDeviceUser, type DeviceUserAction } from '../support/device-user';
import { failed, ok } from './core-fixture';
import { PROVIDER_ID, userinfo, type OidcApp } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

/** The code the app shows, as the renderer would learn it (the connect-progress event). */
const nextDeviceSignIn = (app: OidcApp): Promise<DeviceSignIn> =>
  new Promise((resolve) => {
    const off = app.fixture.core.events.on('connectProgress', (progress: ConnectProgress) => {
      if (progress.stage === 'waiting-for-device' && progress.device) {
        off();
        resolve(progress.device);
      }
    });
  });

describe('signing in with a code (oidc-provider deviceFlow, Chromium)', () => {
  // The server names a 1 s interval (oidc-provider names none, and the RFC's 5 s default would
  // make each test wait).
  const peers = setUpOidcPeers({ rotateRefreshToken: true, deviceFlow: { interval: 1 } });
  const { newApp } = peers;

  const connectByCode = async (app: OidcApp, login: string, action: DeviceUserAction) => {
    const shown = nextDeviceSignIn(app);
    const connecting = app.api.connect({ providerId: PROVIDER_ID });
    const device = await shown;
    await actAsDeviceUser(peers.browser, device.verificationUri, device.userCode, login, action);
    return { device, result: await connecting };
  };

  it('connects: the account is listed, a copy works at the provider, a refresh works, disconnect revokes', async () => {
    const app = await newApp({ consentMode: 'device-code' });
    const progress: ConnectProgress[] = [];
    app.fixture.core.events.on('connectProgress', (p) => progress.push(p));

    const { device, result } = await connectByCode(app, 'dora', 'approve');

    const { account, created } = ok(result);
    expect(created).toBe(true);
    expect(account.subject).toBe('dora');
    expect(device.verificationUri).toBe(`${peers.server.issuer}/device`);
    expect(device.verificationUriComplete).toContain('user_code=');
    expect(progress.map((p) => p.stage)).toEqual([
      'starting',
      'waiting-for-device',
      'identifying',
      'done',
    ]);
    // No browser window of the app's was opened: the consent port was never asked.
    expect(app.port.requests).toEqual([]);
    expect((await app.accounts()).map((a) => a.id)).toEqual([account.id]);
    // The device code itself never travels with the progress the renderer sees.
    expect(JSON.stringify(progress)).not.toMatch(/device_code|deviceCode/);

    ok(await app.api.copyToken({ accountId: account.id, format: 'bare' }));
    const pasted = app.fixture.clipboard.writes.at(-1) ?? '';
    const me = await userinfo(peers.server, pasted);
    expect(me.status).toBe(200);
    expect(me.body?.sub).toBe('dora');

    const before = await app.secrets(account.id);
    expect(before.refreshToken).toBeDefined();
    const refreshed = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(refreshed.status).toBe('ok');
    const after = await app.secrets(account.id);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect((await userinfo(peers.server, after.accessToken)).status).toBe(200);

    expect(ok(await app.api.disconnect({ accountId: account.id })).revocation.status).toBe(
      'revoked',
    );
    expect(await peers.server.isAccessTokenActive(after.accessToken)).toBe(false);
    expect(await peers.server.isRefreshTokenActive(after.refreshToken ?? '')).toBe(false);
    expect(await app.accounts()).toEqual([]);
  });

  it('a denial at the provider is a clear error and saves nothing', async () => {
    const app = await newApp({ consentMode: 'device-code' });

    const { result } = await connectByCode(app, 'erin', 'abort');

    const error = failed(result);
    expect(isError(error, 'deviceDenied')).toBe(true);
    expect(error.message).toContain('denied');
    expect(await app.accounts()).toEqual([]);
    expect(await app.storeText()).not.toContain('erin');
  });

  it('a code that runs out before the user finishes is a clear error and saves nothing', async () => {
    peers.server.setDeviceCodeTtl(3);
    try {
      const app = await newApp({ consentMode: 'device-code' });
      const shown = nextDeviceSignIn(app);
      const started = Date.now();

      const result = await app.api.connect({ providerId: PROVIDER_ID });

      const error = failed(result);
      expect(isError(error, 'deviceCodeExpired')).toBe(true);
      expect(error.message).toContain('connect again');
      const device = await shown;
      // It stopped at the code's expiry, not at the connect's 5-minute limit.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(device.expiresAt - started).toBeLessThanOrEqual(3_500);
      expect(await app.accounts()).toEqual([]);
      // And it stopped: no poll after the answer.
      const polls = peers.server.counts.devicePolls;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(peers.server.counts.devicePolls).toBe(polls);
    } finally {
      peers.server.setDeviceCodeTtl(600);
    }
  });

  it('a server that says slow_down is polled less often, and the sign-in still succeeds', async () => {
    // Polls closer than 2.5 s are refused; the app, told 1 s, must back off rather than fail.
    peers.server.setMinPollInterval(2_500);
    peers.server.resetCounts();
    try {
      const app = await newApp({ consentMode: 'device-code' });
      const shown = nextDeviceSignIn(app);
      const connecting = app.api.connect({ providerId: PROVIDER_ID });
      const device = await shown;
      // The user takes a while: the app polls (and is told to slow down) in the meantime.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await actAsDeviceUser(peers.browser, device.verificationUri, device.userCode, 'finn');

      const { account } = ok(await connecting);

      expect(account.subject).toBe('finn');
      expect(peers.server.counts.slowDowns).toBe(1);
    } finally {
      peers.server.setMinPollInterval(undefined);
    }
  });

  it('cancel stops the polling: no account, and no poll after it', async () => {
    const app = await newApp({ consentMode: 'device-code' });
    const shown = nextDeviceSignIn(app);
    const connecting = app.api.connect({ providerId: PROVIDER_ID });
    await shown;

    ok(await app.api.cancelConnect({ providerId: PROVIDER_ID }));
    const error = failed(await connecting);
    expect(isError(error, 'consentCancelled')).toBe(true);
    const polls = peers.server.counts.devicePolls;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(peers.server.counts.devicePolls).toBe(polls);
    expect(await app.accounts()).toEqual([]);
  });
});
